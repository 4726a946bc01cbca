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

// BenchmarkReconstructRange measures what a read pays to decode: one data piece of 4+2 lost, its
// 1 MiB rebuilt from the same column range of four others. Bytes are those of the k pieces read;
// retrieval's decodeNanosPerByte comes from this figure.
func BenchmarkReconstructRange(b *testing.B) {
	const k, m, ps = 4, 2, 1 << 20
	enc, err := sharding.NewErasure(k, m)
	if err != nil {
		b.Fatal(err)
	}
	pieces, err := enc.Encode(randomBytes(k*ps, 2), ps)
	if err != nil {
		b.Fatal(err)
	}
	lost := make([]byte, ps)
	want := []bool{false, true, false, false}
	b.SetBytes(k * ps)
	b.ReportAllocs()
	for b.Loop() {
		in := append([][]byte(nil), pieces...)
		in[1] = lost[:0]
		in[5] = nil
		if err := enc.ReconstructSome(in, want); err != nil {
			b.Fatal(err)
		}
	}
}
