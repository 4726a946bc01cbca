package prover

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// TestCeremony runs a two-participant ceremony for a tiny circuit, proves
// with the sealed keys, and checks that a tampered transcript is refused.
func TestCeremony(t *testing.T) {
	if testing.Short() {
		t.Skip("mpcsetup phase 2 takes seconds")
	}
	p := Params{Samples: 1, MaxDepth: 2, CellSize: 31}
	c, err := NewCeremony(p)
	if err != nil {
		t.Fatal(err)
	}
	var p1 [3]bytes.Buffer
	if err := c.InitPhase1(&p1[0]); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 3; i++ {
		if err := ContributePhase1(bytes.NewReader(p1[i-1].Bytes()), &p1[i]); err != nil {
			t.Fatal(err)
		}
	}
	beacon := []byte("test beacon")
	var srs, p2init bytes.Buffer
	if err := c.SealPhase1(beacon, []io.Reader{bytes.NewReader(p1[1].Bytes()), bytes.NewReader(p1[2].Bytes())}, &srs, &p2init); err != nil {
		t.Fatal(err)
	}
	var p2 bytes.Buffer
	if err := ContributePhase2(bytes.NewReader(p2init.Bytes()), &p2); err != nil {
		t.Fatal(err)
	}
	keys, err := c.Seal(bytes.NewReader(srs.Bytes()), beacon, []io.Reader{bytes.NewReader(p2.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	slot := randomSlot(t, 100, 5)
	tree := mustCommit(t, slot, p)
	ch := testChallenge(4)
	proof, err := NewProver(keys).Prove(context.Background(), slot, tree, ch)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(keys.VK, PublicInputs{Root: tree.Root(), Challenge: ch}, proof); err != nil {
		t.Fatal(err)
	}

	// Skipping a contribution breaks the chain.
	err = c.SealPhase1(beacon, []io.Reader{bytes.NewReader(p1[2].Bytes())}, io.Discard, io.Discard)
	if !errors.Is(err, ErrCeremony) {
		t.Fatalf("phase 1 without its first contribution: err = %v, want ErrCeremony", err)
	}
}
