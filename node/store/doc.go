// Package store keeps a storage node's pieces, manifests and shard trees. Pieces, Manifests and
// Trees are the small interfaces the node and the proof system use; Store is all three; Badger
// implements it on badger v4,
// keeping each piece as a header (its SHA-256 and size), the SHA-256 of each of its 16 KiB
// chunks, then its bytes (piece.go), so that a read of any range checks exactly the chunks that
// hold it and reads nothing else of the piece (ReadPiece); storetest.RunConformance is the suite every
// implementation passes. WithMaxBytes sets a quota on the bytes held (Usage reports them): a
// piece or manifest past it is refused with ErrFull and nothing stored is touched.
//
// Keys: "p" root shard(uint16) segment(uint32) for pieces, so the pieces of one shard are
// contiguous and in segment order; "m" root for manifests; "t" root shard(uint16) for the
// serialized Merkle tree (prover.Tree) of a shard; "v" root shard(uint16) for the record of a
// move of the shard to another root (MoveShard) until it completes.
package store
