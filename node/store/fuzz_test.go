package store

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// FuzzParsePiece feeds arbitrary stored values (a failing disk, a foreign file) to the piece
// decoder and a range read over it: it must never panic, and a value it accepts must read back
// exactly the bytes its header declares.
func FuzzParsePiece(f *testing.F) {
	data, sum := testPiece(2*ChunkSize + 7)
	f.Add(encodePiece(sum, data), int64(5), int64(ChunkSize))
	f.Add(encodePiece(sha256.Sum256(nil), nil), int64(0), int64(-1))
	f.Add(append(sum[:], data...), int64(1), int64(3)) // a value from before chunk sums
	f.Add([]byte("dsp1"), int64(0), int64(1))
	f.Add(encodePieceSHA(sum, data), int64(ChunkSize-1), int64(2)) // SHA-256 chunk sums
	f.Add(fileIndex(sum, data, 8192), int64(0), int64(10))         // the index of a piece in its shard's file
	f.Fuzz(func(t *testing.T, v []byte, off, n int64) {
		p, err := parsePiece(v)
		if err != nil {
			return
		}
		if p.file {
			if p.data != nil || p.off%fileBlock != 0 || int64(len(p.table)) != int64(numChunks(p.info.Size, p.shift))*sumLen {
				t.Fatalf("an index of a piece of %d bytes at %d with %d bytes of sums", p.info.Size, p.off, len(p.table))
			}
			return
		}
		if p.info.Size != int64(len(p.data)) {
			t.Fatalf("a piece of %d bytes declares %d", len(p.data), p.info.Size)
		}
		lo, hi, err := span(off, n, p.info.Size)
		if err != nil {
			return
		}
		if lo < 0 || hi < lo || hi > p.info.Size {
			t.Fatalf("span(%d, %d, %d) = [%d, %d)", off, n, p.info.Size, lo, hi)
		}
		if err := p.check(lo, hi); err == nil && !p.legacy && hi > lo {
			// Every chunk in range matched its sum: re-encoding gives the same chunks.
			again, _ := parsePiece(encodePiece(p.info.Sum, p.data))
			first, last := lo>>p.shift, (hi-1)>>p.shift
			if p.sha {
				again.table = encodePieceSHA(p.info.Sum, p.data)[headerLen : headerLen+len(p.table)]
			}
			l := int64(p.sumLen())
			if p.shift == chunkShift && !bytes.Equal(p.table[first*l:(last+1)*l], again.table[first*l:(last+1)*l]) {
				t.Fatal("chunks that passed their check differ from their sums")
			}
		}
	})
}
