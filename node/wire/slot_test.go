package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

func TestSlotInfoRoundTrip(t *testing.T) {
	var root fr.Element
	root.SetUint64(12345)
	tests := []struct {
		name string
		s    SlotInfo
	}{
		{"ready", SlotInfo{Ready: true, Root: root.Bytes(), Cells: 160, Size: 40960, Account: [20]byte{1, 2, 3}}},
		{"building", SlotInfo{Cells: 1, Size: 1}},
		{"largest", SlotInfo{Ready: true, Cells: MaxCells, Size: MaxSlotSize}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := EncodeSlotInfo(tt.s)
			if len(b) != SlotInfoSize {
				t.Fatalf("%d bytes, want %d", len(b), SlotInfoSize)
			}
			got, err := DecodeSlotInfo(b)
			if err != nil || got != tt.s {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.s)
			}
		})
	}
}

func TestSlotInfoRejects(t *testing.T) {
	good := EncodeSlotInfo(SlotInfo{Ready: true, Cells: 3, Size: 700})
	set := func(i int, v ...byte) []byte {
		b := slices.Clone(good)
		copy(b[i:], v)
		return b
	}
	modulus := fr.Modulus().FillBytes(make([]byte, 32))
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrProtocol},
		{"short", good[:len(good)-1], ErrProtocol},
		{"long", append(slices.Clone(good), 0), ErrProtocol},
		{"ready flag 2", set(0, 2), ErrProtocol},
		{"root not canonical", set(1, modulus...), ErrProtocol},
		{"root while building", set(0, 0, 1), ErrProtocol},
		{"too many cells", set(33, binary.BigEndian.AppendUint64(nil, MaxCells+1)...), ErrTooLarge},
		{"negative size", set(41, 0x80), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeSlotInfo(tt.b); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCellsRoundTripAndRejects(t *testing.T) {
	for _, cells := range [][]uint64{{}, {0}, {1, 1 << 20, MaxCells - 1, 7}, make([]uint64, MaxOpenings)} {
		b := EncodeCells(cells)
		if len(b) > MaxCellsSize {
			t.Fatalf("%d cells take %d bytes, over MaxCellsSize", len(cells), len(b))
		}
		got, err := DecodeCells(b)
		if err != nil || !slices.Equal(got, cells) {
			t.Fatalf("got %v, %v; want %v", got, err, cells)
		}
	}
	if b := EncodeCells(slices.Repeat([]uint64{MaxCells - 1}, MaxOpenings)); len(b) > MaxCellsSize {
		t.Fatalf("the largest request takes %d bytes, over MaxCellsSize %d", len(b), MaxCellsSize)
	}
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"too many", EncodeCells(make([]uint64, MaxOpenings+1))},
		{"count past the cells", []byte{3, 1, 2}},
		{"trailing bytes", append(EncodeCells([]uint64{1}), 0)},
		{"cell beyond any slot", EncodeCells([]uint64{MaxCells})},
		{"overflowing varint", []byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeCells(tt.b); !errors.Is(err, ErrBadRequest) {
				t.Fatalf("got %v, want ErrBadRequest", err)
			}
		})
	}
}

func testPaths(n, depth int) [][]fr.Element {
	paths := make([][]fr.Element, n)
	for i := range paths {
		paths[i] = make([]fr.Element, depth)
		for k := range paths[i] {
			paths[i][k].SetUint64(uint64(i*1000 + k))
			paths[i][k].Neg(&paths[i][k]) // large elements, close to the modulus
		}
	}
	return paths
}

func TestPathsRoundTripAndRejects(t *testing.T) {
	for _, tc := range []struct{ n, depth int }{{0, 1}, {1, 1}, {3, 16}, {MaxOpenings, MaxPathDepth}} {
		paths := testPaths(tc.n, tc.depth)
		b, err := EncodePaths(paths)
		if err != nil || len(b) > MaxPathsSize {
			t.Fatalf("%d paths of %d: %d bytes, %v", tc.n, tc.depth, len(b), err)
		}
		got, err := DecodePaths(b, tc.n)
		if err != nil || len(got) != tc.n {
			t.Fatalf("%d paths of %d: got %d, %v", tc.n, tc.depth, len(got), err)
		}
		for i := range got {
			if !slices.Equal(got[i], paths[i]) {
				t.Fatalf("path %d changed", i)
			}
		}
	}
	if _, err := EncodePaths([][]fr.Element{make([]fr.Element, 2), make([]fr.Element, 3)}); err == nil {
		t.Fatal("paths of different lengths encoded")
	}
	if _, err := EncodePaths([][]fr.Element{make([]fr.Element, MaxPathDepth+1)}); err == nil {
		t.Fatal("a path over MaxPathDepth encoded")
	}

	good, _ := EncodePaths(testPaths(2, 4))
	nonCanonical := slices.Clone(good)
	fr.Modulus().FillBytes(nonCanonical[1+32 : 1+64])
	tests := []struct {
		name string
		b    []byte
		n    int
	}{
		{"empty", nil, 0},
		{"depth 0", append([]byte{0}, good[1:]...), 2},
		{"depth over the bound", append([]byte{MaxPathDepth + 1}, good[1:]...), 2},
		{"fewer paths than cells", good, 3},
		{"more paths than cells", good, 1},
		{"truncated", good[:len(good)-1], 2},
		{"element not canonical", nonCanonical, 2},
		{"negative count", good, -1},
		{"count over MaxOpenings", good, MaxOpenings + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodePaths(tt.b, tt.n); !errors.Is(err, ErrProtocol) {
				t.Fatalf("got %v, want ErrProtocol", err)
			}
		})
	}
}

func FuzzDecodeSlotInfo(f *testing.F) {
	var root fr.Element
	root.SetUint64(99)
	f.Add(EncodeSlotInfo(SlotInfo{Ready: true, Root: root.Bytes(), Cells: 160, Size: 40960, Account: [20]byte{9}}))
	f.Add(EncodeSlotInfo(SlotInfo{Cells: 1}))
	f.Add(bytes.Repeat([]byte{0xff}, SlotInfoSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSlotInfo(b)
		if err != nil {
			return
		}
		if s.Cells > MaxCells || s.Size < 0 || s.Size > MaxSlotSize || (!s.Ready && s.Root != [32]byte{}) {
			t.Fatalf("out-of-bound slot info accepted: %+v", s)
		}
		if again := EncodeSlotInfo(s); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding changed %x into %x", b, again)
		}
	})
}

func FuzzDecodeCells(f *testing.F) {
	f.Add(EncodeCells([]uint64{0, 5, 1 << 30}))
	f.Add(EncodeCells(nil))
	f.Add([]byte{0x81, 0x04}) // 513 cells announced
	f.Fuzz(func(t *testing.T, b []byte) {
		cells, err := DecodeCells(b)
		if err != nil {
			return
		}
		if len(cells) > MaxOpenings || len(b) > MaxCellsSize*2 {
			t.Fatalf("%d cells accepted from %d bytes", len(cells), len(b))
		}
		for _, c := range cells {
			if c >= MaxCells {
				t.Fatalf("cell %d accepted", c)
			}
		}
		again, err := DecodeCells(EncodeCells(cells))
		if err != nil || !slices.Equal(again, cells) {
			t.Fatalf("re-encoding changed %v into %v (%v)", cells, again, err)
		}
	})
}

func FuzzDecodePaths(f *testing.F) {
	b, _ := EncodePaths(testPaths(2, 3))
	f.Add(b, 2)
	b, _ = EncodePaths(nil)
	f.Add(b, 0)
	f.Add([]byte{MaxPathDepth + 1}, 0)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		paths, err := DecodePaths(b, n)
		if err != nil {
			return
		}
		if len(paths) != n || n > MaxOpenings {
			t.Fatalf("%d paths for %d cells", len(paths), n)
		}
		for _, p := range paths {
			if len(p) != int(b[0]) || len(p) < 1 || len(p) > MaxPathDepth {
				t.Fatalf("a path of %d nodes, depth byte %d", len(p), b[0])
			}
		}
		if n == 0 {
			return // the depth of an empty answer is not kept
		}
		again, err := EncodePaths(paths)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encoding changed %d bytes (%v)", len(b), err)
		}
	})
}
