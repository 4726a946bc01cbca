package prover

import (
	"context"
	"errors"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"testing"
)

func TestCommitMatchesReference(t *testing.T) {
	p := TestParams
	cs := p.CellSize
	tests := []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"one byte", 1},
		{"one cell minus one", cs - 1},
		{"one cell", cs},
		{"one cell plus one", cs + 1},
		{"seventeen cells", 17 * cs},
		{"odd size", 37*cs + 5},
		{"full", 64 * cs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			slot := randomSlot(t, tc.size, uint64(tc.size))
			for _, cut := range []int{0, 2, 4, 6} {
				tree, err := Commit(context.Background(), slot, p, WithCut(cut), WithWorkers(3))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := tree.Root(), refRoot(p, slot); got != want {
					t.Fatalf("cut %d: root %s, want %s", cut, got.String(), want.String())
				}
				for i := uint64(0); i < tree.Cells(); i += 1 + tree.Cells()/7 {
					op, err := tree.Open(context.Background(), slot, i)
					if err != nil {
						t.Fatal(err)
					}
					if err := VerifyOpening(p, tree.Root(), slot.Size(), i, op.Cell, op.Path); err != nil {
						t.Fatalf("cut %d cell %d: %v", cut, i, err)
					}
				}
			}
		})
	}
}

func TestCommitTooLarge(t *testing.T) {
	p := TestParams
	_, err := Commit(context.Background(), make(BytesSlot, p.MaxSlotSize()+1), p)
	if !errors.Is(err, ErrSlotTooLarge) {
		t.Fatalf("err = %v, want ErrSlotTooLarge", err)
	}
}

func TestVerifyOpeningRejects(t *testing.T) {
	p := TestParams
	slot := randomSlot(t, 20*p.CellSize+3, 1)
	tree := mustCommit(t, slot, p)
	op, err := tree.Open(context.Background(), slot, 5)
	if err != nil {
		t.Fatal(err)
	}
	other := mustCommit(t, randomSlot(t, 20*p.CellSize+3, 2), p)
	flip := func(b []byte) []byte { c := append([]byte(nil), b...); c[10] ^= 1; return c }
	badPath := append(op.Path[:0:0], op.Path...)
	badPath[3].SetUint64(42)
	tests := []struct {
		name  string
		root  any
		size  int64
		index uint64
		cell  []byte
		path  any
		want  error
	}{
		{"wrong cell byte", nil, slot.Size(), 5, flip(op.Cell), nil, ErrBadOpening},
		{"wrong path", nil, slot.Size(), 5, op.Cell, badPath, ErrBadOpening},
		{"wrong index", nil, slot.Size(), 4, op.Cell, nil, ErrBadOpening},
		{"other root", other.Root(), slot.Size(), 5, op.Cell, nil, ErrBadOpening},
		{"other size", nil, slot.Size() + int64(p.CellSize), 5, op.Cell, nil, ErrBadOpening},
		{"index past end", nil, slot.Size(), 21, op.Cell, nil, ErrCellIndex},
		{"short path", nil, slot.Size(), 5, op.Cell, op.Path[:2], ErrBadOpening},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := tree.Root()
			if tc.root != nil {
				root = other.Root()
			}
			path := op.Path
			if tc.path != nil {
				path = tc.path.([]fr.Element)
			}
			err := VerifyOpening(p, root, tc.size, tc.index, tc.cell, path)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTreeMarshalRoundTrip(t *testing.T) {
	p := TestParams
	slot := randomSlot(t, 33*p.CellSize+9, 3)
	tree := mustCommit(t, slot, p)
	b, err := tree.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Tree
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got.Root() != tree.Root() || got.Cells() != tree.Cells() || got.Size() != tree.Size() {
		t.Fatal("decoded tree differs")
	}
	op1, _ := tree.Open(context.Background(), slot, 30)
	op2, err := got.Open(context.Background(), slot, 30)
	if err != nil {
		t.Fatal(err)
	}
	for k := range op1.Path {
		if op1.Path[k] != op2.Path[k] {
			t.Fatalf("path differs at %d", k)
		}
	}
	b[len(b)-1] ^= 1
	if err := got.UnmarshalBinary(b); !errors.Is(err, ErrBadEncoding) {
		t.Fatalf("corrupt tree: err = %v", err)
	}
}

func TestOpenDetectsChangedSlot(t *testing.T) {
	p := TestParams
	slot := randomSlot(t, 10*p.CellSize, 4)
	tree := mustCommit(t, slot, p)
	slot[3*p.CellSize] ^= 1
	if _, err := tree.Open(context.Background(), slot, 3); !errors.Is(err, ErrTreeMismatch) {
		t.Fatalf("err = %v, want ErrTreeMismatch", err)
	}
}
