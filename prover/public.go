package prover

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// PublicInputs are the two public inputs of a proof, in circuit order.
type PublicInputs struct {
	Root      fr.Element // the slot root
	Challenge fr.Element // Challenge(entropy, requestID, slotIndex, provider)
}

// PublicInputsSize is the length of an encoded PublicInputs.
const PublicInputsSize = 2 * fr.Bytes

// MarshalBinary encodes root || challenge, 32 big-endian bytes each.
func (p PublicInputs) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, PublicInputsSize)
	r, c := p.Root.Bytes(), p.Challenge.Bytes()
	out = append(out, r[:]...)
	return append(out, c[:]...), nil
}

// UnmarshalBinary decodes 64 bytes; both elements must be canonical (< r),
// as the Solidity verifier requires.
func (p *PublicInputs) UnmarshalBinary(b []byte) error {
	if len(b) != PublicInputsSize {
		return fmt.Errorf("%w: public inputs are %d bytes, want %d", ErrBadEncoding, len(b), PublicInputsSize)
	}
	var q PublicInputs
	if err := q.Root.SetBytesCanonical(b[:fr.Bytes]); err != nil {
		return fmt.Errorf("%w: root: %w", ErrBadEncoding, err)
	}
	if err := q.Challenge.SetBytesCanonical(b[fr.Bytes:]); err != nil {
		return fmt.Errorf("%w: challenge: %w", ErrBadEncoding, err)
	}
	*p = q
	return nil
}

// Solidity returns the inputs as the verifier contract's uint256[2].
func (p PublicInputs) Solidity() [2]*big.Int {
	var a, b big.Int
	p.Root.BigInt(&a)
	p.Challenge.BigInt(&b)
	return [2]*big.Int{&a, &b}
}

func (p PublicInputs) vector() fr.Vector { return fr.Vector{p.Root, p.Challenge} }
