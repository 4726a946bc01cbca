package prover

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/frontend"
)

// ProofSize is the length of an encoded proof: Ar (G1) | Bs (G2) | Krs (G1),
// uncompressed, the calldata the Solidity verifier takes.
const ProofSize = 256

// Proof is one Groth16 proof of the storage circuit.
type Proof struct {
	p groth16bn254.Proof
}

// MarshalBinary returns the 256-byte uncompressed encoding, the same bytes
// as Solidity().
func (p *Proof) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := p.p.WriteRawTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes()[:ProofSize], nil
}

// UnmarshalBinary decodes 256 bytes; the points must be on their curves and
// in the right subgroups.
func (p *Proof) UnmarshalBinary(b []byte) error {
	if len(b) != ProofSize {
		return fmt.Errorf("%w: proof is %d bytes, want %d", ErrBadEncoding, len(b), ProofSize)
	}
	var q groth16bn254.Proof
	// SetBytes checks that each point is on its curve and in its subgroup.
	if _, err := q.Ar.SetBytes(b[0:64]); err != nil {
		return fmt.Errorf("%w: proof A: %w", ErrBadEncoding, err)
	}
	if _, err := q.Bs.SetBytes(b[64:192]); err != nil {
		return fmt.Errorf("%w: proof B: %w", ErrBadEncoding, err)
	}
	if _, err := q.Krs.SetBytes(b[192:256]); err != nil {
		return fmt.Errorf("%w: proof C: %w", ErrBadEncoding, err)
	}
	canon := Proof{p: q}
	if out, err := canon.MarshalBinary(); err != nil || !bytes.Equal(out, b) {
		return fmt.Errorf("%w: proof is not canonically encoded", ErrBadEncoding)
	}
	p.p = q
	return nil
}

// Solidity returns the proof as the `bytes calldata proof` argument of the
// exported verifier's verifyProof(bytes, uint256[2]): 256 bytes.
func (p *Proof) Solidity() []byte { return p.p.MarshalSolidity() }

// SolidityWords returns the proof as eight uint256 words:
// Ar.X, Ar.Y, Bs.X.A1, Bs.X.A0, Bs.Y.A1, Bs.Y.A0, Krs.X, Krs.Y.
func (p *Proof) SolidityWords() [8]*big.Int {
	b := p.Solidity()
	var out [8]*big.Int
	for i := range out {
		out[i] = new(big.Int).SetBytes(b[32*i : 32*(i+1)])
	}
	return out
}

// Prover proves challenges with one set of keys.
type Prover struct {
	keys *Keys
}

// NewProver returns a prover using keys.
func NewProver(keys *Keys) *Prover { return &Prover{keys: keys} }

// Prove proves that slot, committed to by tree, answers challenge. A nil tree
// is computed first (slow: a node keeps the tree it built in the background).
func (pr *Prover) Prove(ctx context.Context, slot Slot, tree *Tree, challenge fr.Element) (*Proof, error) {
	p := pr.keys.Params
	if tree == nil {
		var err error
		if tree, err = Commit(ctx, slot, p); err != nil {
			return nil, err
		}
	}
	if tree.params != p {
		return nil, fmt.Errorf("%w: tree built for %s, keys for %s", ErrKeyMismatch, tree.params, p)
	}
	c, err := Assign(ctx, slot, tree, challenge)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("prover: witness: %w", err)
	}
	proof, err := groth16bn254.Prove(pr.keys.cs, pr.keys.pk, w)
	if err != nil {
		return nil, fmt.Errorf("prover: prove: %w", err)
	}
	return &Proof{p: *proof}, nil
}

// Verify checks proof against the public inputs with vk.
func Verify(vk *VerifyingKey, public PublicInputs, proof *Proof) error {
	if err := groth16bn254.Verify(&proof.p, vk.g, public.vector()); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidProof, err)
	}
	return nil
}
