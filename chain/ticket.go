package chain

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/crypto"
)

// ErrBadSignature reports a signature that does not recover to an account.
var ErrBadSignature = errors.New("chain: bad signature")

// TicketSigner signs upload tickets (wire.Ticket.SigningBytes) with a chain account, as an
// EIP-191 personal message (what a wallet's personal_sign produces): keccak256 of
// "\x19Ethereum Signed Message:\n" + len(msg) + msg, signed with secp256k1, 65 bytes r || s || v
// with v = 27 or 28.
type TicketSigner struct{ Key *ecdsa.PrivateKey }

// Account is the signing account.
func (s TicketSigner) Account() [20]byte { return crypto.PubkeyToAddress(s.Key.PublicKey) }

// SignTicket implements retrieval.TicketSigner.
func (s TicketSigner) SignTicket(msg []byte) ([]byte, error) {
	if s.Key == nil {
		return nil, ErrNoKey
	}
	sig, err := crypto.Sign(accounts.TextHash(msg), s.Key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

// TicketVerifier recovers the account that signed an upload ticket with TicketSigner (or any
// EIP-191 personal_sign). It implements node.TicketVerifier.
type TicketVerifier struct{}

// Signer returns the account whose key made sig over msg.
func (TicketVerifier) Signer(msg, sig []byte) ([20]byte, error) {
	if len(sig) != crypto.SignatureLength {
		return [20]byte{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadSignature, len(sig), crypto.SignatureLength)
	}
	s := append([]byte(nil), sig...)
	if s[64] >= 27 {
		s[64] -= 27
	}
	if s[64] > 1 {
		return [20]byte{}, fmt.Errorf("%w: recovery id %d", ErrBadSignature, sig[64])
	}
	pub, err := crypto.SigToPub(accounts.TextHash(msg), s)
	if err != nil {
		return [20]byte{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
