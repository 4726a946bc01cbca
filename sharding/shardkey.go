package sharding

import (
	"encoding/binary"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// ShardKey is the content-routing key under which a node announces that it holds shard i of the
// file root (a DHT provider record): CIDv1, raw codec, sha2-256 over "dstore/shard/v1", root's bytes
// and i as a uvarint. Readers and repairers look holders up by it when no storage deal names them.
func ShardKey(root cid.Cid, shard int) cid.Cid {
	b := append([]byte("dstore/shard/v1"), root.Bytes()...)
	b = binary.AppendUvarint(b, uint64(shard))
	h, err := mh.Sum(b, mh.SHA2_256, -1)
	if err != nil { // sha2-256 is always available
		panic(err)
	}
	return cid.NewCidV1(cid.Raw, h)
}
