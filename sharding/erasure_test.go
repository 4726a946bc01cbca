package sharding_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

// subsets calls fn with every set of m indices out of n.
func subsets(n, m int, fn func([]int)) {
	var rec func(start int, cur []int)
	rec = func(start int, cur []int) {
		if len(cur) == m {
			fn(cur)
			return
		}
		for i := start; i < n; i++ {
			rec(i+1, append(cur, i))
		}
	}
	rec(0, nil)
}

func TestErasureRoundTripLosingAnyM(t *testing.T) {
	tests := []struct {
		name      string
		k, m      int
		dataLen   int
		pieceSize int
	}{
		{name: "4+2 full", k: 4, m: 2, dataLen: 4 * 256, pieceSize: 256},
		{name: "4+2 short", k: 4, m: 2, dataLen: 700, pieceSize: 256},
		{name: "10+6", k: 10, m: 6, dataLen: 10*128 - 3, pieceSize: 128},
		{name: "3+0", k: 3, m: 0, dataLen: 100, pieceSize: 64},
		{name: "1+3", k: 1, m: 3, dataLen: 64, pieceSize: 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := sharding.NewErasure(tt.k, tt.m)
			if err != nil {
				t.Fatal(err)
			}
			data := randomBytes(tt.dataLen, uint64(tt.k*100+tt.m))
			pieces, err := e.Encode(data, tt.pieceSize)
			if err != nil {
				t.Fatal(err)
			}
			if len(pieces) != tt.k+tt.m {
				t.Fatalf("%d pieces, want %d", len(pieces), tt.k+tt.m)
			}
			want := make([]byte, tt.k*tt.pieceSize)
			copy(want, data)
			if got := bytes.Join(pieces[:tt.k], nil); !bytes.Equal(got, want) {
				t.Fatal("data pieces are not the zero-padded data (code must be systematic)")
			}
			subsets(tt.k+tt.m, tt.m, func(lost []int) {
				t.Run(fmt.Sprint(lost), func(t *testing.T) {
					got := make([][]byte, len(pieces))
					for i := range pieces {
						got[i] = append([]byte(nil), pieces[i]...)
					}
					for _, i := range lost {
						got[i] = nil
					}
					if err := e.ReconstructData(got); err != nil {
						t.Fatal(err)
					}
					for i := 0; i < tt.k; i++ {
						if !bytes.Equal(got[i], pieces[i]) {
							t.Fatalf("data piece %d differs after losing %v", i, lost)
						}
					}
					for _, i := range lost {
						got[i] = nil
					}
					if err := e.Reconstruct(got); err != nil {
						t.Fatal(err)
					}
					for i := range got {
						if !bytes.Equal(got[i], pieces[i]) {
							t.Fatalf("piece %d differs after full reconstruction", i)
						}
					}
				})
			})
		})
	}
}

func TestErasureTooFewPieces(t *testing.T) {
	e, err := sharding.NewErasure(4, 2)
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := e.Encode(randomBytes(1000, 1), 256)
	if err != nil {
		t.Fatal(err)
	}
	pieces[0], pieces[2], pieces[5] = nil, nil, nil
	err = e.ReconstructData(pieces)
	var pe *sharding.PiecesError
	if !errors.As(err, &pe) || !errors.Is(err, sharding.ErrTooFewPieces) || pe.Have != 3 || pe.Need != 4 {
		t.Fatalf("ReconstructData with 3 of 6 pieces: %v, want a PiecesError{3, 4}", err)
	}
}

func TestErasureRejects(t *testing.T) {
	tests := []struct {
		name string
		k, m int
	}{
		{name: "no data", k: 0, m: 2},
		{name: "negative parity", k: 4, m: -1},
		{name: "too many", k: 200, m: 57},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := sharding.NewErasure(tt.k, tt.m); !errors.Is(err, sharding.ErrInvalidParams) {
				t.Fatalf("NewErasure(%d, %d) = %v, want ErrInvalidParams", tt.k, tt.m, err)
			}
		})
	}
	e, _ := sharding.NewErasure(4, 2)
	if _, err := e.Encode(make([]byte, 1025), 256); !errors.Is(err, sharding.ErrPieceSize) {
		t.Fatalf("Encode of too much data: %v, want ErrPieceSize", err)
	}
	pieces, _ := e.Encode(make([]byte, 1024), 256)
	pieces[0] = nil
	pieces[1] = pieces[1][:100]
	if err := e.ReconstructData(pieces); !errors.Is(err, sharding.ErrPieceSize) {
		t.Fatalf("ReconstructData with unequal pieces: %v, want ErrPieceSize", err)
	}
}
