// Package store keeps a storage node's pieces and manifests. Pieces and Manifests are the small
// interfaces the node and the proof system use; Store is both; Badger implements it on badger v4,
// keeping each piece as its SHA-256 followed by its bytes so that a read can check what it returns;
// RunConformance is the suite every implementation passes.
//
// Keys: "p" root shard(uint16) segment(uint32) for pieces, so the pieces of one shard are
// contiguous and in segment order; "m" root for manifests.
package store
