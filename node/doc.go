// Package node is the dstore storage provider: a libp2p host (TCP and QUIC) with an identity kept
// in its repo, a badger store of pieces, manifests and shard trees (node/store), the wire
// protocols that store and serve them (node/wire), and the Kademlia DHT (protocol prefix "/dstore") on which it
// announces the root CID of every manifest it holds, again every ReprovideInterval.
//
// A node checks every piece against its hash in the manifest (Manifest.PieceSum) before
// acknowledging it (wire.ErrHashMismatch otherwise, and nothing is stored); a piece staged under an
// upload ID (wire.UploadID, before the manifest exists) against the hash sent with it, and the
// commit (wire.ProtoCommit) checks the staged pieces against the manifest before the node keeps
// them under the file's root. It serves any sub-range
// of a piece (Off, N) after checking the 16 KiB chunks that hold it against their sums (wire.ErrCorrupt, and no byte is served):
// a read of a few bytes never reads or hashes the whole piece.
//
// A node holds its ground against hostile peers (docs/security.md): libp2p's resource manager
// bounds connections, streams and memory in total and per peer (Config.Limits); a request's
// header must arrive within HeaderTimeout and only then takes one of MaxStreams request slots, at
// most MaxStreamsPerPeer of them per peer; a payload must keep up MinPayloadRate; payloads and
// answers are reserved in the resource manager before they are held (wire.ErrBusy when there is
// no room), and at most MaxPayloadMemory bytes of payloads are held at once. MaxStorage is a quota
// on the bytes stored (wire.ErrFull past it).
//
// The repo holds identity.key, the store, listen.json (the addresses to listen on again after a
// restart) and node.json (Info: peer ID, addresses, pid, metrics address), written once the node
// listens.
//
// ShardReader reads a shard, the concatenation of its pieces in segment order, for the proof
// system without loading it whole. node/nodetest starts real nodes for tests.
//
// # Slot trees
//
// For every shard it holds whole (the piece of every segment), the node commits to the shard as a
// proof-system slot: prover.Commit over its ShardReader with Config.Proofs (default
// prover.DevnetParams), in the background, and keeps the tree in the store ("t" root shard). A
// single worker builds one tree at a time (each over all cores, about 6.7 MB/s per core: some ten
// minutes for a 4 GiB shard on one core). It queues a file's trees when its manifest is stored
// (the client's last step of an upload) and, at start, the trees missing from the store; a tree
// is also queued the first time it is asked for. A shard larger than Proofs.MaxSlotSize() is
// logged and skipped. A tree that fails (a damaged piece) is not retried until a piece of the
// shard or the manifest is stored again. SlotTree, HeldShards and Manifest serve the proving loop.
//
// Two protocols let a client check the root it is about to commit on chain (see node/wire for the
// bytes):
//
//   - /dstore/slot/root/1.0.0 (root, shard) answers wire.SlotInfo: the slot root once the tree is
//     built (Ready), the cell count, the shard size and Config.Account. While the tree is queued
//     or building, Ready is false and the root zero.
//   - /dstore/slot/open/1.0.0 (root, shard, cells) answers the Merkle path of each cell, in the
//     order asked, Proofs.MaxDepth siblings each. At most wire.MaxOpenings (512) cells per request
//     (payload at most wire.MaxCellsSize, 5,130 bytes), each below the slot's cell count; the
//     answer is at most 1+512*40*32 bytes. The node opens the cells in cell order, re-reading
//     2^4 cells around each and checking the 16 KiB chunks it reads, all within the
//     stream deadline.
//
// Errors: wire.ErrNotFound when the node holds no manifest of root or not every piece of the
// shard; wire.ErrBadRequest for too many cells or a cell out of range; wire.ErrBusy for openings
// while the tree is being built; wire.ErrCorrupt when a chunk fails its SHA-256; wire.ErrTooLarge
// when the shard is too large for the node's proof parameters.
//
//	n, err := node.New(node.Config{Repo: dir})
//	...
//	defer n.Close()
//	err = n.Run(ctx) // serves until ctx is done
package node
