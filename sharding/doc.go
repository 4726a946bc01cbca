// Package sharding turns a file into what dstore stores: a UnixFS DAG whose root CID is the file's
// name, Reed-Solomon coded pieces spread over shards, and a manifest that ties them together.
//
// # Content addressing
//
// Import reads a file once. The bytes go through boxo's UnixFS importer with the settings of
// `ipfs add --cid-version=1` (CIDv1, raw leaves, sha2-256, balanced layout, 174 links per node,
// fixed-size chunks of Params.ChunkSize, 256 KiB by default), so the root CID equals the one kubo
// gives for the same bytes. Only the internal dag-pb nodes are kept (in Manifest.DAG); leaves are
// hashed and dropped, so memory never grows with the file.
//
// # Erasure coding
//
// The same bytes are cut into segments of SegmentSize = K*PieceSize bytes. Each segment is dealt to
// K data pieces in units of StripeSize bytes (Layout: systematic, zero-padded; by default ChunkSize,
// so each leaf lies in one piece and a range of K leaves in one column of all K pieces, where a
// parity piece stands in for a data piece at no extra bytes; with no stripe size piece i holds
// bytes [i*ps, (i+1)*ps)) and M parity
// pieces are computed by Erasure, the package's seam over klauspost/reedsolomon (nobody else
// imports it). Any K of the K+M pieces of a segment rebuild it. The last segment's pieces shrink to
// ceil(len/K) rounded up to 64 bytes (and to whole units). Piece i of every segment belongs to
// shard i; a shard is what one storage node keeps and proves.
//
// Defaults: the devnet uses K=4, M=2 (any 2 of 6 nodes may die, 1.5x overhead). A real network
// should spread shards wider, which costs little bandwidth and buys much more durability:
// K=10, M=6 (Storj-like, 1.6x, survives 6 of 16), or K=29, M=51 (Storj's long-tail setting with
// 2.76x, for untrusted providers with high churn). Pieces of 1 MiB keep the per-piece overhead
// (a hash and a request) small while a 4+2 segment stays at 6 MiB of memory.
//
// # Manifest
//
// A Manifest records the root CID, sizes, K, M, the hash of every piece (PieceHash: the SHA-256
// of its chunks' SHA-256, so a data piece of whole leaves is hashed once for its leaves' CIDs and
// for itself), the DAG's internal nodes and the placement of each shard. It serializes to a compact, deterministic, versioned binary
// form (Marshal, UnmarshalManifest, bounded by MaxManifestSize) and has a CID of its own. A decoded
// manifest is checked whole: the DAG nodes must hash to the root CID and reach every leaf, and the
// leaves must cover the file exactly. A reader then checks every leaf it reassembles with a
// LeafVerifier, so nothing in a manifest needs to be trusted beyond its root CID. Span maps a byte
// range to the pieces that hold it, so a range read touches only those pieces.
package sharding
