package node_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/multiformats/go-multihash"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/wire"
)

// A node serves pieces from its repo; a client stores one and reads a byte range of it back.
func Example() {
	repo, _ := os.MkdirTemp("", "dstore-node")
	defer os.RemoveAll(repo)
	n, err := node.New(node.Config{Repo: repo})
	if err != nil {
		panic(err)
	}
	defer n.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go n.Run(ctx)

	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		panic(err)
	}
	defer h.Close()
	h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Minute)
	c := wire.NewClient(h)

	mh, _ := multihash.Sum([]byte("a file"), multihash.SHA2_256, -1)
	ref := wire.PieceRef{Root: cid.NewCidV1(cid.Raw, mh), Shard: 0, Segment: 0}
	piece := []byte("hello dstore\n")
	if err := c.StorePiece(ctx, n.ID(), ref, sha256.Sum256(piece), piece); err != nil {
		panic(err)
	}
	part, err := c.GetPiece(ctx, n.ID(), ref, 6, 6)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", part)
	// Output: "dstore"
}
