// Package node is the dstore storage provider: a libp2p host (TCP and QUIC) with an identity kept
// in its repo, a badger store of pieces and manifests (node/store), the wire protocols that store
// and serve them (node/wire), and the Kademlia DHT (protocol prefix "/dstore") on which it
// announces the root CID of every manifest it holds, again every ReprovideInterval.
//
// A node checks every piece against its SHA-256 before acknowledging it (wire.ErrHashMismatch
// otherwise, and nothing is stored) and again before serving it (wire.ErrCorrupt, and no byte is
// served). Every stream has a deadline, every read a size bound, and the node serves at most
// MaxStreams requests and holds at most MaxPayloadMemory bytes of incoming payloads at once.
//
// The repo holds identity.key, the store, listen.json (the addresses to listen on again after a
// restart) and node.json (Info: peer ID, addresses, pid), written once the node listens.
//
// ShardReader reads a shard, the concatenation of its pieces in segment order, for the proof
// system without loading it whole. node/nodetest starts real nodes for tests.
//
//	n, err := node.New(node.Config{Repo: dir})
//	...
//	defer n.Close()
//	err = n.Run(ctx) // serves until ctx is done
package node
