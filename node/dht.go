package node

import (
	"context"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

// ProtocolPrefix keeps dstore's DHT apart from the public IPFS one.
const ProtocolPrefix = "/dstore"

// NewDHT joins dstore's Kademlia DHT from h: in server mode for nodes, client mode for clients.
// Loopback and private addresses are kept, so a local network works.
func NewDHT(ctx context.Context, h host.Host, server bool, bootstrap []peer.AddrInfo) (*dht.IpfsDHT, error) {
	mode := dht.ModeClient
	if server {
		mode = dht.ModeServer
	}
	kad, err := dht.New(h,
		dht.Mode(mode),
		dht.ProtocolPrefix(ProtocolPrefix),
		dht.BootstrapPeers(bootstrap...),
	)
	if err != nil {
		return nil, fmt.Errorf("starting the DHT: %w", err)
	}
	connectAny(ctx, h, bootstrap)
	if err := kad.Bootstrap(ctx); err != nil {
		kad.Close()
		return nil, fmt.Errorf("bootstrapping the DHT: %w", err)
	}
	return kad, nil
}

// bootstrapDialTimeout bounds each dial to a bootstrap peer.
const bootstrapDialTimeout = 5 * time.Second

// connectAny dials every bootstrap peer at once and returns as soon as one is
// connected, or when all have failed: a dead bootstrap peer, whose dial may wait
// for its whole timeout, delays nobody while another one answers. The remaining
// dials finish in the background within bootstrapDialTimeout.
func connectAny(ctx context.Context, h host.Host, bootstrap []peer.AddrInfo) {
	done := make(chan bool, len(bootstrap))
	n := 0
	for _, ai := range bootstrap {
		if ai.ID == h.ID() {
			continue
		}
		n++
		go func() {
			cctx, cancel := context.WithTimeout(ctx, bootstrapDialTimeout)
			defer cancel()
			done <- h.Connect(cctx, ai) == nil
		}()
	}
	for range n {
		if <-done {
			return
		}
	}
}

// provide announces root on the DHT in the background.
func (n *Node) provide(root cid.Cid) {
	if !n.track() {
		return
	}
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(n.ctx, 30*time.Second)
		defer cancel()
		if err := n.dht.Provide(ctx, root, true); err != nil && n.ctx.Err() == nil {
			n.log.Debug("announcing a root", "root", root, "err", err)
		}
	}()
}
