package retrieval

import (
	"context"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/p2p"
)

// Dial starts a client's libp2p host with key on loopback (p2p.NewHost, the host nodes run on
// too), joins the DHT through peers and returns the client reading through them, with the
// function that closes it all. cfg's Host, Routing and Peers are filled in; the rest is used as
// given.
func Dial(ctx context.Context, key crypto.PrivKey, peers []peer.AddrInfo, cfg Config) (*Client, func(), error) {
	h, err := p2p.NewHost(p2p.HostConfig{Key: key})
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	kad, err := p2p.NewDHT(ctx, h, false, peers)
	if err != nil {
		cancel()
		h.Close()
		return nil, nil, err
	}
	cfg.Host, cfg.Routing, cfg.Peers = h, kad, peers
	client, err := New(cfg)
	if err != nil {
		cancel()
		kad.Close()
		h.Close()
		return nil, nil, err
	}
	return client, func() {
		cancel()
		kad.Close()
		h.Close()
	}, nil
}
