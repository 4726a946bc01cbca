package audit

import (
	"math/big"

	"github.com/dstore-net/dstore/prover"
)

// Verifier checks a proof off chain against its two public inputs.
type Verifier interface {
	Verify(root, challenge *big.Int, proof []byte) error
}

// KeyVerifier verifies with a Groth16 verifying key through package prover.
type KeyVerifier struct {
	VK *prover.VerifyingKey
}

var _ Verifier = KeyVerifier{}

// Verify decodes the 256-byte Solidity proof and checks it with prover.Verify.
func (k KeyVerifier) Verify(root, challenge *big.Int, proof []byte) error {
	var p prover.Proof
	if err := p.UnmarshalBinary(proof); err != nil {
		return err
	}
	var pub prover.PublicInputs
	pub.Root.SetBigInt(root)
	pub.Challenge.SetBigInt(challenge)
	return prover.Verify(k.VK, pub, &p)
}

// challengeOf recomputes the challenge with package prover, independently of the
// contract.
func challengeOf(entropy, id [32]byte, slot uint64, provider [20]byte) *big.Int {
	c := prover.Challenge(entropy, id, slot, provider)
	var out big.Int
	return c.BigInt(&out)
}
