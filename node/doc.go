// Package node is the dstore storage provider: a libp2p host (TCP and QUIC) with an identity kept
// in its repo, a badger store of pieces and manifests, the wire protocols that store and serve them
// (node/wire), and the Kademlia DHT on which it announces the roots it holds.
//
// A node checks every piece against its SHA-256 before acknowledging it and again before serving
// it, and never serves bytes that fail. Every stream has a deadline and every read a size bound.
//
//	n, err := node.New(node.Config{Repo: dir})
//	...
//	err = n.Run(ctx) // serves until ctx is done
package node
