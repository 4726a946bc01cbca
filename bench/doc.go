// Package bench holds dstore's reproducible benchmarks. Run them with `just bench` or
//
//	go test -run '^$' -bench . -benchtime 1x -timeout 60m ./bench/
//
// BenchmarkErasure* compare the sharding package's erasure seam with klauspost/reedsolomon called
// directly on the same K+M and piece size. BenchmarkPutGet builds the dstore binary, starts a local
// network of six node processes, and times `dstore put` and `dstore get` of a large file
// (DSTORE_BENCH_SIZE, default 1 GiB) as separate processes, reporting their throughput and peak RSS.
package bench
