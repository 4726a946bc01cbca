package sharding_test

import (
	"context"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/dstore-net/dstore/sharding"
)

// streamReader yields n pseudo-random bytes without holding them.
type streamReader struct {
	r *rand.PCG
	n int64
}

func (s *streamReader) Read(b []byte) (int, error) {
	if s.n == 0 {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), s.n)]
	for i := range b {
		b[i] = byte(s.r.Uint64())
	}
	s.n -= int64(len(b))
	return len(b), nil
}

// Import's live heap stays at a few segments, whatever the file size.
func TestImportMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 64 MiB")
	}
	const size = 64 << 20
	p := sharding.Params{K: 4, M: 2, PieceSize: 1 << 20} // 4 MiB segments, 6 MiB encoded
	var peak uint64
	var ms runtime.MemStats
	m, err := sharding.Import(context.Background(), &streamReader{r: rand.NewPCG(1, 2), n: size}, p, func(s sharding.Segment) error {
		if s.Index%4 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.NumSegments() != 16 {
		t.Fatalf("%d segments", m.NumSegments())
	}
	t.Logf("live heap peak %d MiB while importing %d MiB", peak>>20, size>>20)
	if peak > 32<<20 {
		t.Fatalf("live heap reached %d MiB for a %d MiB file: memory grows with the file", peak>>20, size>>20)
	}
}
