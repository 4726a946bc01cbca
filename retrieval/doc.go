// Package retrieval is the client side of dstore: it uploads files to storage nodes and reads them
// back.
//
// Upload (Client.Put) streams a file once through sharding.Import, sends piece i of every segment to
// the node(s) holding shard i as the import makes it, several shards in parallel with bounded queues,
// and moves a shard to a spare node when its node fails or refuses its pieces mid-upload, backfilling
// the segments already sent from the source file instead of restarting the upload. The nodes stage
// the pieces under an upload ID (the root is known only at the end); the commit brings every node
// that holds a shard the manifest, against which it checks what it staged. They announce the root
// CID on the DHT.
//
// Read (Client.Get) finds providers of the root CID, fetches the manifest, then fetches segments a
// few at a time: for each segment the K data pieces from the nearest nodes in parallel, checking each
// piece against its hash in the manifest, falling back to another replica or a parity piece on error or corrupt
// bytes, and hedging with a parity piece when a node is slow. It decodes only when a data piece is
// missing, checks every leaf against its CID before writing it, and streams the file in order with
// memory bounded by the read-ahead window.
//
// The package imports the wire protocol (node/wire) and sharding, never the node daemon itself.
package retrieval
