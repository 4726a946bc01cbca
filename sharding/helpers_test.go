package sharding_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

// vectorFile is the 3 MiB + 7 byte test file: "dstore-test-vector-" repeated and cut.
func vectorFile() []byte {
	const size = 3<<20 + 7
	return bytes.Repeat([]byte("dstore-test-vector-"), size/19+1)[:size]
}

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// importAll imports data and returns the manifest and every segment handed out.
func importAll(t testing.TB, data []byte, p sharding.Params) (*sharding.Manifest, []sharding.Segment) {
	t.Helper()
	var segs []sharding.Segment
	m, err := sharding.Import(context.Background(), bytes.NewReader(data), p, func(s sharding.Segment) error {
		segs = append(segs, s)
		return nil
	})
	if err != nil {
		t.Fatalf("Import(%d bytes, %+v): %v", len(data), p, err)
	}
	return m, segs
}
