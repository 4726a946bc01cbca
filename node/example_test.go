package node_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// A node stores for the clients on its allow-list (or holding upload tickets); a client stores a
// file's manifest, then a piece the manifest names, and reads a byte range of it back.
func Example() {
	repo, _ := os.MkdirTemp("", "dstore-node")
	defer os.RemoveAll(repo)
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		panic(err)
	}
	defer h.Close()
	n, err := node.New(node.Config{Repo: repo, Allow: []peer.ID{h.ID()}})
	if err != nil {
		panic(err)
	}
	defer n.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go n.Run(ctx)
	h.Peerstore().AddAddrs(n.ID(), n.Host().Addrs(), time.Minute)
	c := wire.NewClient(h)

	file := []byte("hello dstore\n")
	m, err := sharding.Import(ctx, bytes.NewReader(file), sharding.Params{K: 1, M: 1}, nil)
	if err != nil {
		panic(err)
	}
	b, _ := m.Marshal()
	if err := c.StoreManifest(ctx, n.ID(), b); err != nil {
		panic(err)
	}
	piece := make([]byte, m.SegmentPieceSize(0)) // the data piece: the file, zero-padded
	copy(piece, file)
	ref := wire.PieceRef{Root: m.Root, Shard: 0, Segment: 0}
	if err := c.StorePiece(ctx, n.ID(), ref, m.PieceSum(piece), piece); err != nil {
		panic(err)
	}
	part, err := c.GetPiece(ctx, n.ID(), ref, 6, 6)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", part)
	// Output: "dstore"
}
