package p2p

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	yamux "github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	ma "github.com/multiformats/go-multiaddr"
)

// HostConfig configures NewHost. Zero values mean the documented defaults.
type HostConfig struct {
	// Key is the host's identity; required.
	Key crypto.PrivKey
	// Listen are the multiaddrs to listen on; default TCP and QUIC on 127.0.0.1, any free port.
	Listen []string
	// Announce, when set, replaces the addresses the host tells its peers (a relay's or a NAT's
	// outer address); each must be a valid multiaddr.
	Announce []string
	// ResourceManager bounds the host's streams and memory; nil is libp2p's default limits. Build
	// it with rcmgr.WithMetricsDisabled: see NewHost.
	ResourceManager network.ResourceManager
}

// DefaultListen is where a host listens unless told otherwise: loopback only.
var DefaultListen = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}

// NewHost starts the libp2p host of a node or a client: the one place dstore builds a host.
//
// Its TCP connections are secured by libp2p's TLS, whose records are sent in batches (see
// recordBatch), or by Noise, as libp2p's defaults are. libp2p's own Prometheus metrics are off. They go to the process's default registry, which
// dstore never serves (a node serves its own registry), and the resource manager's reporter alone
// took ~4% of a node's CPU during a put: every reservation and release of stream memory updated
// its gauges.
func NewHost(cfg HostConfig) (host.Host, error) {
	if cfg.Key == nil {
		return nil, errors.New("p2p: a host needs an identity key")
	}
	listen := cfg.Listen
	if len(listen) == 0 {
		listen = DefaultListen
	}
	rm := cfg.ResourceManager
	if rm == nil {
		// libp2p's default, without its metrics.
		limits := rcmgr.DefaultLimits
		libp2p.SetDefaultServiceLimits(&limits)
		var err error
		if rm, err = rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.AutoScale()), rcmgr.WithMetricsDisabled()); err != nil {
			return nil, fmt.Errorf("p2p: resource manager: %w", err)
		}
	}
	opts := []libp2p.Option{libp2p.Identity(cfg.Key), libp2p.ListenAddrStrings(listen...), libp2p.DialRanker(DialRanker),
		libp2p.Muxer(yamux.ID, streamMuxer()), libp2p.ResourceManager(rm), libp2p.DisableMetrics(),
		libp2p.Security(libp2ptls.ID, newGatheringTLS), libp2p.Security(noise.ID, noise.New)}
	if len(cfg.Announce) > 0 {
		announce := make([]ma.Multiaddr, len(cfg.Announce))
		for i, a := range cfg.Announce {
			m, err := ma.NewMultiaddr(a)
			if err != nil {
				return nil, fmt.Errorf("p2p: announce address %q: %w", a, err)
			}
			announce[i] = m
		}
		opts = append(opts, libp2p.AddrsFactory(func([]ma.Multiaddr) []ma.Multiaddr { return announce }))
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("starting the libp2p host on %v: %w", listen, err)
	}
	return h, nil
}

// streamWindow is how many bytes a host lets a peer send on a new TCP stream before it must wait
// for a window update: a piece of the default size (1 MiB) and its header, granted in the stream's
// first frame. Yamux's own 256 KiB made a TCP connection wait one more round trip through a
// far node's delay for every piece or first leaf larger than that, where QUIC's first window is
// already 512 KiB; yamux grows a busy stream's window past this by itself.
const streamWindow = 1<<20 + 64<<10

// maxFrame is the largest yamux data frame a host sends: a whole piece of the default size and
// its header, where yamux's own 64 KiB cut a piece into 17 frames. Each frame is one pass of the
// receiver's read loop and one wake-up of the goroutine reading the stream, and one more pass of
// the sender's write loop; the bytes, the TLS records and the memory a peer may have in flight
// (its stream windows) are the same. A small answer queued behind a large frame waits no longer
// than it would behind the same bytes in the connection's socket buffer.
const maxFrame = streamWindow

// streamMuxer is libp2p's yamux with streamWindow and maxFrame.
func streamMuxer() *yamux.Transport {
	t := *yamux.DefaultTransport
	t.InitialStreamWindowSize = streamWindow
	t.MaxMessageSize = maxFrame
	return &t
}

// LoadIdentity reads a libp2p Ed25519 key from path, creating it (0600) the first time. Nodes
// keep theirs in their repo; the CLI keeps the client's in HOME.
func LoadIdentity(path string) (crypto.PrivKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := crypto.UnmarshalPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("identity key %s: %w", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, err
	}
	b, err = crypto.MarshalPrivateKey(k)
	if err != nil {
		return nil, err
	}
	return k, os.WriteFile(path, b, 0o600)
}

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
