package prover

import (
	"bufio"
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
)

// Ceremony scripts gnark's Groth16 multi-party setup (mpcsetup) for one
// Params, the production path to keys nobody knows the toxic waste of:
//
//  1. the coordinator writes the empty phase 1 (InitPhase1);
//  2. each participant in turn reads the last file and writes a contribution
//     (ContributePhase1);
//  3. the coordinator verifies the chain of phase 1 files, seals it with a
//     public random beacon chosen after the last contribution, and writes
//     the SRS and the empty phase 2 (SealPhase1; slow: minutes);
//  4. each participant contributes to phase 2 (ContributePhase2);
//  5. anyone verifies the whole transcript and derives the keys (Seal).
//
// The keys are sound if at least one participant destroyed their randomness.
type Ceremony struct {
	Params Params
	CS     *csbn254.R1CS
}

// NewCeremony compiles the circuit of p.
func NewCeremony(p Params) (*Ceremony, error) {
	ccs, err := Compile(p)
	if err != nil {
		return nil, err
	}
	return &Ceremony{Params: p, CS: ccs}, nil
}

func (c *Ceremony) domain() uint64 {
	return ecc.NextPowerOfTwo(uint64(c.CS.GetNbConstraints()))
}

// InitPhase1 writes the empty phase 1 transcript.
func (c *Ceremony) InitPhase1(w io.Writer) error {
	_, err := mpcsetup.NewPhase1(c.domain()).WriteTo(w)
	return err
}

// ContributePhase1 reads the last phase 1 file, adds fresh randomness and
// writes the contribution.
func ContributePhase1(r io.Reader, w io.Writer) error {
	var p mpcsetup.Phase1
	if _, err := p.ReadFrom(bufio.NewReader(r)); err != nil {
		return fmt.Errorf("%w: phase 1 file: %w", ErrBadEncoding, err)
	}
	p.Contribute()
	_, err := p.WriteTo(w)
	return err
}

// ContributePhase2 does the same for phase 2.
func ContributePhase2(r io.Reader, w io.Writer) error {
	var p mpcsetup.Phase2
	if _, err := p.ReadFrom(bufio.NewReader(r)); err != nil {
		return fmt.Errorf("%w: phase 2 file: %w", ErrBadEncoding, err)
	}
	p.Contribute()
	_, err := p.WriteTo(w)
	return err
}

func readPhase1s(rs []io.Reader) ([]*mpcsetup.Phase1, error) {
	out := make([]*mpcsetup.Phase1, len(rs))
	for i, r := range rs {
		out[i] = new(mpcsetup.Phase1)
		if _, err := out[i].ReadFrom(bufio.NewReader(r)); err != nil {
			return nil, fmt.Errorf("%w: phase 1 contribution %d: %w", ErrBadEncoding, i+1, err)
		}
	}
	return out, nil
}

func readPhase2s(rs []io.Reader) ([]*mpcsetup.Phase2, error) {
	out := make([]*mpcsetup.Phase2, len(rs))
	for i, r := range rs {
		out[i] = new(mpcsetup.Phase2)
		if _, err := out[i].ReadFrom(bufio.NewReader(r)); err != nil {
			return nil, fmt.Errorf("%w: phase 2 contribution %d: %w", ErrBadEncoding, i+1, err)
		}
	}
	return out, nil
}

// SealPhase1 verifies the phase 1 contributions (in order), seals them with
// beacon, and writes the SRS to srsOut and the empty phase 2 to phase2Out.
func (c *Ceremony) SealPhase1(beacon []byte, contribs []io.Reader, srsOut, phase2Out io.Writer) error {
	ps, err := readPhase1s(contribs)
	if err != nil {
		return err
	}
	commons, err := mpcsetup.VerifyPhase1(c.domain(), beacon, ps...)
	if err != nil {
		return fmt.Errorf("%w: phase 1: %w", ErrCeremony, err)
	}
	if _, err := commons.WriteTo(srsOut); err != nil {
		return err
	}
	var p2 mpcsetup.Phase2
	p2.Initialize(c.CS, &commons)
	_, err = p2.WriteTo(phase2Out)
	return err
}

// Seal verifies the phase 2 contributions against the SRS, seals them with
// beacon and returns the keys. Anyone can rerun it to check a ceremony.
func (c *Ceremony) Seal(srs io.Reader, beacon []byte, contribs []io.Reader) (*Keys, error) {
	var commons mpcsetup.SrsCommons
	if _, err := commons.ReadFrom(bufio.NewReader(srs)); err != nil {
		return nil, fmt.Errorf("%w: SRS: %w", ErrBadEncoding, err)
	}
	ps, err := readPhase2s(contribs)
	if err != nil {
		return nil, err
	}
	pk, vk, err := mpcsetup.VerifyPhase2(c.CS, &commons, beacon, ps...)
	if err != nil {
		return nil, fmt.Errorf("%w: phase 2: %w", ErrCeremony, err)
	}
	k := &Keys{Params: c.Params, cs: c.CS, pk: pk.(*groth16bn254.ProvingKey), VK: &VerifyingKey{vk.(*groth16bn254.VerifyingKey)}}
	return k, k.check()
}
