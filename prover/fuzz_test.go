package prover

import (
	"bytes"
	"context"
	"testing"
)

// FuzzProofDecode: arbitrary bytes never panic, and whatever decodes
// re-encodes to the same bytes.
func FuzzProofDecode(f *testing.F) {
	f.Add(make([]byte, ProofSize))
	f.Add([]byte{1, 2, 3})
	k := keysForTest(f)
	slot := randomSlot(f, 300, 1)
	proof, err := NewProver(k).Prove(contextBG(), slot, mustCommit(f, slot, k.Params), testChallenge(1))
	if err != nil {
		f.Fatal(err)
	}
	good, _ := proof.MarshalBinary()
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Proof
		if err := p.UnmarshalBinary(b); err != nil {
			return
		}
		out, err := p.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("round trip differs: %v", err)
		}
	})
}

// FuzzPublicInputsDecode: only canonical 64-byte encodings decode.
func FuzzPublicInputsDecode(f *testing.F) {
	f.Add(make([]byte, PublicInputsSize))
	f.Add(bytes.Repeat([]byte{0xff}, PublicInputsSize))
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var p PublicInputs
		if err := p.UnmarshalBinary(b); err != nil {
			return
		}
		out, _ := p.MarshalBinary()
		if !bytes.Equal(out, b) {
			t.Fatal("round trip differs")
		}
	})
}

// FuzzTreeDecode: corrupt trees are refused, never panic.
func FuzzTreeDecode(f *testing.F) {
	slot := randomSlot(f, 1000, 2)
	good, _ := mustCommit(f, slot, TestParams).MarshalBinary()
	f.Add(good)
	f.Add([]byte(treeMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		var tr Tree
		if err := tr.UnmarshalBinary(b); err != nil {
			return
		}
		out, _ := tr.MarshalBinary()
		if !bytes.Equal(out, b) {
			t.Fatal("round trip differs")
		}
	})
}

func contextBG() context.Context { return context.Background() }
