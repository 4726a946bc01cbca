package sharding_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

// BenchmarkImport measures the whole put-side pipeline on 64 MiB: UnixFS import, 4+2 encoding and
// piece hashing (no network).
func BenchmarkImport(b *testing.B) {
	data := randomBytes(64<<20, 1)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sharding.Import(context.Background(), bytes.NewReader(data), sharding.Params{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRootCID measures the UnixFS import alone (leaf hashing and DAG building).
func BenchmarkRootCID(b *testing.B) {
	data := randomBytes(64<<20, 1)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sharding.RootCID(context.Background(), bytes.NewReader(data), 0); err != nil {
			b.Fatal(err)
		}
	}
}
