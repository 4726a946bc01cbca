package prover

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// BenchResult is what `dstore prover bench` reports for one Params.
type BenchResult struct {
	Params             Params  `json:"params"`
	Constraints        int     `json:"constraints"`
	ConstraintsPerSamp int     `json:"constraints_per_sample"`
	SetupSeconds       float64 `json:"setup_or_load_seconds"`
	ProveSeconds       float64 `json:"prove_seconds_median"`
	VerifyMillis       float64 `json:"verify_ms_median"`
	ProofBytes         int     `json:"proof_bytes"`
	ProvingKeyBytes    int64   `json:"proving_key_bytes"`
	PeakRSSBytes       int64   `json:"peak_rss_bytes"`
}

// ThroughputResult compares the slot commitment with raw Poseidon2.
type ThroughputResult struct {
	CellSize            int     `json:"cell_size"`
	Workers             int     `json:"workers"`
	CommitMBps          float64 `json:"commit_mb_per_s"`
	CommitMBpsPerCore   float64 `json:"commit_mb_per_s_per_core"`
	RawPoseidon2W16MBps float64 `json:"raw_poseidon2_w16_mb_per_s_per_core"`
	RawPoseidon2W2MBps  float64 `json:"raw_poseidon2_w2_mb_per_s_per_core"`
}

// Bench sets up (or loads) the keys of p, then proves and verifies rounds
// challenges against a random slot of slotSize bytes.
func Bench(ctx context.Context, p Params, slotSize int64, rounds int, opts ...KeyOption) (BenchResult, error) {
	res := BenchResult{Params: p, ProofBytes: ProofSize}
	t0 := time.Now()
	k, err := LoadOrSetup(ctx, p, opts...)
	if err != nil {
		return res, err
	}
	res.SetupSeconds = time.Since(t0).Seconds()
	res.Constraints = k.cs.GetNbConstraints()
	res.ConstraintsPerSamp = res.Constraints / p.Samples
	n, err := k.pk.WriteRawTo(countWriter{})
	if err != nil {
		return res, err
	}
	res.ProvingKeyBytes = n

	r := rand.New(rand.NewPCG(1, 2))
	slot := make(BytesSlot, slotSize)
	for i := range slot {
		slot[i] = byte(r.Uint32())
	}
	tree, err := Commit(ctx, slot, p)
	if err != nil {
		return res, err
	}
	var proves, verifies []time.Duration
	pr := NewProver(k)
	for i := 0; i < max(rounds, 1); i++ {
		var ch fr.Element
		ch.SetUint64(r.Uint64())
		t0 := time.Now()
		proof, err := pr.Prove(ctx, slot, tree, ch)
		if err != nil {
			return res, err
		}
		proves = append(proves, time.Since(t0))
		t0 = time.Now()
		if err := Verify(k.VK, PublicInputs{Root: tree.Root(), Challenge: ch}, proof); err != nil {
			return res, err
		}
		verifies = append(verifies, time.Since(t0))
	}
	res.ProveSeconds = median(proves).Seconds()
	res.VerifyMillis = float64(median(verifies).Microseconds()) / 1000
	res.PeakRSSBytes = peakRSS()
	return res, nil
}

// Throughput measures Commit on size random bytes with all cores, and raw
// gnark-crypto Poseidon2 permutations (31 bytes per absorbed element) on one.
func Throughput(ctx context.Context, p Params, size int64) (ThroughputResult, error) {
	res := ThroughputResult{CellSize: p.CellSize, Workers: runtime.GOMAXPROCS(0)}
	slot := make(BytesSlot, size)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range slot {
		slot[i] = byte(r.Uint32())
	}
	t0 := time.Now()
	if _, err := Commit(ctx, slot, p); err != nil {
		return res, err
	}
	res.CommitMBps = float64(size) / time.Since(t0).Seconds() / 1e6
	res.CommitMBpsPerCore = res.CommitMBps / float64(res.Workers)

	raw := func(width int, perm func([]fr.Element) error) float64 {
		s := make([]fr.Element, width)
		const n = 3000
		t0 := time.Now()
		for i := 0; i < n; i++ {
			_ = perm(s)
		}
		return float64(n*(width-1)*bytesPerElement) / time.Since(t0).Seconds() / 1e6
	}
	res.RawPoseidon2W16MBps = raw(leafWidth, leafPerm().Permutation)
	res.RawPoseidon2W2MBps = raw(2, compPerm().Permutation)
	return res, nil
}

func (r BenchResult) String() string {
	return fmt.Sprintf("%s: %d constraints (%d/sample), prove %.2fs, verify %.2fms, proof %d B, pk %.1f MB, peak RSS %.0f MB, setup/load %.1fs",
		r.Params, r.Constraints, r.ConstraintsPerSamp, r.ProveSeconds, r.VerifyMillis, r.ProofBytes,
		float64(r.ProvingKeyBytes)/1e6, float64(r.PeakRSSBytes)/1e6, r.SetupSeconds)
}

func (r ThroughputResult) String() string {
	return fmt.Sprintf("commit %d-byte cells: %.1f MB/s on %d workers (%.1f MB/s/core); raw Poseidon2 per core: width 16 %.1f MB/s, width 2 %.1f MB/s",
		r.CellSize, r.CommitMBps, r.Workers, r.CommitMBpsPerCore, r.RawPoseidon2W16MBps, r.RawPoseidon2W2MBps)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// peakRSS is the process's maximum resident set size (0 where unknown).
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) * 1024 // kilobytes on Linux
}

type countWriter struct{}

func (countWriter) Write(p []byte) (int, error) { return len(p), nil }
