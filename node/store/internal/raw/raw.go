// Package raw reaches the bytes under a store.Badger, as a failing disk would, for package
// storetest only (an internal package: nothing outside node/store can import it). Package store
// sets the hooks when it loads; no badger type crosses them.
package raw

import "github.com/ipfs/go-cid"

var (
	// Update applies f to the value stored under the piece (root, shard, segment) or, with
	// segment < 0, the tree of (root, shard). f returning nil deletes the value.
	Update func(s any, root cid.Cid, shard, segment int, f func(v []byte) []byte) error
	// Version is the badger version of that value (it changes when the value is written again).
	Version func(s any, root cid.Cid, shard, segment int) (uint64, error)
)
