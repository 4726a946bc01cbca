package sharding_test

import (
	"errors"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

func TestLeafVerifier(t *testing.T) {
	data := randomBytes(200*1000+17, 5)
	m, _ := importAll(t, data, testParams)
	write := func(t *testing.T, b []byte, step int) error {
		t.Helper()
		v, err := sharding.NewLeafVerifier(m)
		if err != nil {
			t.Fatal(err)
		}
		for len(b) > 0 {
			n := min(step, len(b))
			if _, err := v.Write(b[:n]); err != nil {
				return err
			}
			b = b[n:]
		}
		return v.Close()
	}
	for _, step := range []int{1, 333, 1000, 4096, len(data)} {
		if err := write(t, data, step); err != nil {
			t.Fatalf("intact file in %d-byte writes: %v", step, err)
		}
	}
	tests := []struct {
		name   string
		flip   int
		offset int64
	}{
		{name: "first byte", flip: 0, offset: 0},
		{name: "inside leaf 7", flip: 7*1000 + 500, offset: 7000},
		{name: "last byte", flip: len(data) - 1, offset: 200 * 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := append([]byte(nil), data...)
			bad[tt.flip] ^= 1
			err := write(t, bad, 777)
			var le *sharding.LeafError
			if !errors.As(err, &le) || !errors.Is(err, sharding.ErrLeafMismatch) {
				t.Fatalf("flipped byte %d: %v, want a LeafError", tt.flip, err)
			}
			if le.Offset != tt.offset {
				t.Fatalf("error names leaf at %d, want %d: %v", le.Offset, tt.offset, err)
			}
			t.Log(err)
		})
	}
	if err := write(t, data[:len(data)-1], 4096); !errors.Is(err, sharding.ErrShortFile) {
		t.Fatalf("short file: %v", err)
	}
	if err := write(t, append(append([]byte(nil), data...), 0), 4096); !errors.Is(err, sharding.ErrLongFile) {
		t.Fatalf("long file: %v", err)
	}
}

func TestLeafVerifierSmallFiles(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("hello dstore\n")} {
		m, _ := importAll(t, data, testParams)
		v, err := sharding.NewLeafVerifier(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := v.Close(); err != nil {
			t.Fatalf("%d-byte file: %v", len(data), err)
		}
	}
	m, _ := importAll(t, []byte("hello dstore\n"), testParams)
	v, _ := sharding.NewLeafVerifier(m)
	if _, err := v.Write([]byte("hello dstorm\n")); !errors.Is(err, sharding.ErrLeafMismatch) {
		t.Fatalf("forged single-leaf file: %v", err)
	}
}
