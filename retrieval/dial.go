package retrieval

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	"github.com/libp2p/go-libp2p/p2p/protocol/ping"

	"github.com/dstore-net/dstore/node/p2p"
)

// Dial starts a client's libp2p host with key on loopback (p2p.NewHost, the host nodes run on
// too), joins the DHT through peers and returns the client reading through them, with the
// function that closes it all. cfg's Host, Routing and Peers are filled in, and ShardRecords is
// turned on (reads find a shard's holders of record on the DHT); the rest is used as given.
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
	cfg.Host, cfg.Routing, cfg.Peers, cfg.ShardRecords = h, kad, peers, true
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

// PeerKeyFile holds a client's libp2p identity in its HOME: the peer ID that nodes put on their
// allow-list (a devnet's nodes allow the client of the devnet's HOME).
const PeerKeyFile = "client.peer.key"

// LoadPeerKey reads the client's libp2p key from home, creating it the first time; with no home,
// a fresh key that is not kept.
func LoadPeerKey(home string) (crypto.PrivKey, error) {
	if home == "" {
		k, _, err := crypto.GenerateEd25519Key(rand.Reader)
		return k, err
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(home, PeerKeyFile)
	k, err := p2p.LoadIdentity(path)
	if err != nil {
		return nil, fmt.Errorf("the client's peer key %s: %w", path, err)
	}
	return k, nil
}

// PeerID returns the peer ID of the client of home, creating its key the first time.
func PeerID(home string) (peer.ID, error) {
	k, err := LoadPeerKey(home)
	if err != nil {
		return "", err
	}
	return peer.IDFromPrivateKey(k)
}

// Ping measures the round trip to the node p with libp2p's ping protocol, dialing it first if
// needed.
func (c *Client) Ping(ctx context.Context, p peer.AddrInfo) (time.Duration, error) {
	c.cfg.Host.Peerstore().AddAddrs(p.ID, p.Addrs, time.Hour)
	select {
	case res := <-ping.Ping(ctx, c.cfg.Host, p.ID):
		return res.RTT, res.Error
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Routing is the content routing (the DHT) the client finds providers with; nil without one.
func (c *Client) Routing() routing.ContentRouting { return c.cfg.Routing }
