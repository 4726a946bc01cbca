// Package store keeps a storage node's pieces, manifests and shard trees. Pieces, Manifests and
// Trees are the small interfaces the node and the proof system use; Store is all three; Badger
// implements it on badger v4,
// keeping each piece as its SHA-256 followed by its bytes so that a read can check what it returns;
// RunConformance is the suite every implementation passes.
//
// Keys: "p" root shard(uint16) segment(uint32) for pieces, so the pieces of one shard are
// contiguous and in segment order; "m" root for manifests; "t" root shard(uint16) for the
// serialized Merkle tree (prover.Tree) of a shard.
package store
