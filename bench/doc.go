// Package bench holds dstore's reproducible benchmarks. Run them with `just bench` or
//
//	go test -run '^$' -bench . -benchtime 1x -timeout 60m ./bench/
//
// BenchmarkRepairShard rebuilds one shard of a 256 MiB file (DSTORE_BENCH_REPAIR_SIZE) from k others
// onto a spare node, in-process on loopback, against a read of the whole file in the same run.
//
// BenchmarkErasure* compare the sharding package's erasure seam with klauspost/reedsolomon called
// directly on the same K+M and piece size. BenchmarkPutGet builds the dstore binary, starts a local
// network of six node processes, and times `dstore put` and `dstore get` of a large file
// (DSTORE_BENCH_SIZE, default 1 GiB) as separate processes, reporting their throughput, peak RSS
// (DSTORE_BENCH_SIZE=4294967296 for the 4 GiB memory figure) and the CPU seconds per GiB of the
// client and of the six nodes together (from /proc), steadier than throughput on a shared machine. With DSTORE_BENCH_BASELINE naming
// another dstore binary (an older build), BenchmarkPutGet and BenchmarkGateway run it too, in the
// same run, for before/after ratios that the machine's load does not skew. With DSTORE_PPROF_DIR
// set, every dstore process, the devnet's nodes included, writes a CPU and an allocation profile
// there (cpu-get-PID.pprof, allocs-node-PID.pprof, ...) for `go tool pprof`.
//
// BenchmarkKubo moves the same file (DSTORE_BENCH_SIZE) through dstore, put and get, and through two
// kubo v0.43.1 daemons on loopback, ipfs add on one and ipfs cat over bitswap on the other. kubo is
// built from bench/kubo, a module of its own, so that it never enters dstore's module graph or CI;
// its first build takes about five minutes (DSTORE_KUBO naming an ipfs binary skips it).
//
// The BenchmarkNetns* run `dstore devnet --netns` (root only; skipped otherwise): six nodes, each in a
// network namespace behind a relay that delays its traffic, read by a client in the benchmark's
// process. BenchmarkNetnsDelays: nodes 5 to 160 ms away, time to first byte and throughput of 1 MiB
// and large (DSTORE_BENCH_NETNS_SIZE, default 1 GiB) reads against the k-th smallest round trip.
// BenchmarkNetnsRate: every link capped at 200 mbit, get throughput in multiples of k caps.
// BenchmarkNetnsSlowNode: p50 and p99 of 100 reads of 1 MiB ranges, then the same with a data
// shard's node given 500 ms more after the 20th read.
package bench
