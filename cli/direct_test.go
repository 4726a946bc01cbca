package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestDirectWriter writes files of sizes around the writer's block and chunk sizes, in writes of
// random lengths, and reads every byte back.
func TestDirectWriter(t *testing.T) {
	dirs := []string{t.TempDir()}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		shm, err := os.MkdirTemp("/dev/shm", "dstore-direct-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(shm) })
			dirs = append(dirs, shm) // tmpfs: direct I/O refused or emulated, the bytes the same
		}
	}
	sizes := []int{0, 1, directBlock - 1, directBlock, directBlock + 1, directChunk - 1, directChunk, directChunk + 1, 2*directChunk + 3*directBlock, 3*directChunk + 12345}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dir := range dirs {
		for _, size := range sizes {
			want := make([]byte, size)
			for i := range want {
				want[i] = byte(rng.Uint32())
			}
			path := filepath.Join(dir, "out")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w := newDirectWriter(f)
			for rest := want; len(rest) > 0; {
				n := min(len(rest), 1+rng.IntN(3*directChunk/2))
				if got, err := w.Write(rest[:n]); err != nil || got != n {
					t.Fatalf("%s, %d bytes: Write = %d, %v", dir, size, got, err)
				}
				rest = rest[n:]
			}
			if err := w.Close(); err != nil {
				t.Fatalf("%s, %d bytes: Close: %v", dir, size, err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Fatalf("%s, %d bytes: read back %d bytes that differ at %d", dir, size, len(got), i)
			}
			if _, err := w.Write([]byte{1}); err == nil {
				t.Fatalf("a write after Close succeeded")
			}
		}
	}
}
