package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dstore-net/dstore/sharding"
	"github.com/klauspost/reedsolomon"
)

// erasureCases are the codes compared: the devnet's 4+2 and a real network's 10+6, 1 MiB pieces.
var erasureCases = []struct{ k, m, pieceSize int }{
	{4, 2, 1 << 20},
	{10, 6, 1 << 20},
}

func segmentData(k, pieceSize int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, k*pieceSize)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// BenchmarkErasureSeam encodes one segment through sharding.Erasure.EncodeBuffer on a reused buffer:
// the same work as BenchmarkErasureRaw, so the ratio of the two is the seam's overhead.
// Bytes are data bytes.
func BenchmarkErasureSeam(b *testing.B) {
	for _, c := range erasureCases {
		b.Run(fmt.Sprintf("%d+%d/%dKiB", c.k, c.m, c.pieceSize>>10), func(b *testing.B) {
			e, err := sharding.NewErasure(c.k, c.m)
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, (c.k+c.m)*c.pieceSize)
			copy(buf, segmentData(c.k, c.pieceSize))
			b.SetBytes(int64(c.k * c.pieceSize))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.EncodeBuffer(buf, c.pieceSize); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkErasureSeamFresh encodes through sharding.Erasure.Encode, which returns pieces in a fresh
// buffer (one allocation and one copy of the data per segment), as an uploader that hands pieces
// off to network queues needs.
func BenchmarkErasureSeamFresh(b *testing.B) {
	for _, c := range erasureCases {
		b.Run(fmt.Sprintf("%d+%d/%dKiB", c.k, c.m, c.pieceSize>>10), func(b *testing.B) {
			e, err := sharding.NewErasure(c.k, c.m)
			if err != nil {
				b.Fatal(err)
			}
			data := segmentData(c.k, c.pieceSize)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Encode(data, c.pieceSize); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkErasureRaw calls klauspost/reedsolomon directly on the same code and piece size, on
// shards allocated once: parity computation only, the floor the seam is measured against.
func BenchmarkErasureRaw(b *testing.B) {
	for _, c := range erasureCases {
		b.Run(fmt.Sprintf("%d+%d/%dKiB", c.k, c.m, c.pieceSize>>10), func(b *testing.B) {
			enc, err := reedsolomon.New(c.k, c.m)
			if err != nil {
				b.Fatal(err)
			}
			data := segmentData(c.k, c.pieceSize)
			shards := make([][]byte, c.k+c.m)
			for i := range shards {
				shards[i] = make([]byte, c.pieceSize)
				if i < c.k {
					copy(shards[i], data[i*c.pieceSize:])
				}
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := enc.Encode(shards); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
