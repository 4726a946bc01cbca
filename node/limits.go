package node

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"

	"github.com/dstore-net/dstore/node/wire"
)

// Limits bound what peers may take of the node's libp2p host, enforced by libp2p's resource
// manager: connections, streams and memory, in total and per peer. Memory counts the host's own
// buffers (stream windows of the muxers) and the node's requests: every payload received and
// every answer is reserved through its stream before it is read or built, and an answer that does
// not fit is refused with wire.ErrBusy. Zero fields mean the defaults.
type Limits struct {
	// Conns bounds the host's connections, ConnsPerPeer those with one peer. Defaults 1024 and 8.
	Conns, ConnsPerPeer int
	// Streams bounds the open streams, StreamsPerPeer those with one peer; streams not yet
	// attached to a protocol (still negotiating) are held to a quarter of Streams. Defaults 4096
	// and 256.
	Streams, StreamsPerPeer int
	// Memory bounds the bytes reserved, MemoryPerPeer those of one peer. Defaults 1 GiB and
	// 256 MiB.
	Memory, MemoryPerPeer int64
}

// Validate reports a negative limit.
func (l Limits) Validate() error {
	if l.Conns < 0 || l.ConnsPerPeer < 0 || l.Streams < 0 || l.StreamsPerPeer < 0 || l.Memory < 0 || l.MemoryPerPeer < 0 {
		return errors.New("limits must not be negative")
	}
	return nil
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.Conns, 1024)
	def(&l.ConnsPerPeer, 8)
	def(&l.Streams, 4096)
	def(&l.StreamsPerPeer, 256)
	if l.Memory == 0 {
		l.Memory = 1 << 30
	}
	if l.MemoryPerPeer == 0 {
		l.MemoryPerPeer = 256 << 20
	}
	l.ConnsPerPeer = min(l.ConnsPerPeer, l.Conns)
	l.StreamsPerPeer = min(l.StreamsPerPeer, l.Streams)
	l.MemoryPerPeer = min(l.MemoryPerPeer, l.Memory)
	return l
}

// resourceManager builds libp2p's resource manager for l (with defaults applied). Scopes l does
// not name (services, transient memory, connections, file descriptors) keep libp2p's defaults
// scaled to the machine; protocol scopes are left unlimited, so the peer and system limits are the
// ones that bind.
func (l Limits) resourceManager() (network.ResourceManager, error) {
	both := func(conns, streams int, memory int64) rcmgr.ResourceLimits {
		r := rcmgr.ResourceLimits{Memory: rcmgr.LimitVal64(memory)}
		if conns > 0 {
			r.Conns, r.ConnsInbound, r.ConnsOutbound = rcmgr.LimitVal(conns), rcmgr.LimitVal(conns), rcmgr.LimitVal(conns)
		}
		if streams > 0 {
			r.Streams, r.StreamsInbound, r.StreamsOutbound = rcmgr.LimitVal(streams), rcmgr.LimitVal(streams), rcmgr.LimitVal(streams)
		}
		return r
	}
	unlimited := rcmgr.ResourceLimits{
		Streams: rcmgr.Unlimited, StreamsInbound: rcmgr.Unlimited, StreamsOutbound: rcmgr.Unlimited,
		Memory: rcmgr.Unlimited64,
	}
	transient := rcmgr.ResourceLimits{}
	transient.Streams, transient.StreamsInbound, transient.StreamsOutbound = rcmgr.LimitVal(max(1, l.Streams/4)), rcmgr.LimitVal(max(1, l.Streams/4)), rcmgr.LimitVal(max(1, l.Streams/4))
	cfg := rcmgr.PartialLimitConfig{
		System:              both(l.Conns, l.Streams, l.Memory),
		Transient:           transient,
		PeerDefault:         both(l.ConnsPerPeer, l.StreamsPerPeer, l.MemoryPerPeer),
		ProtocolDefault:     unlimited,
		ProtocolPeerDefault: unlimited,
		// One stream may hold the largest payload or answer.
		Stream: rcmgr.ResourceLimits{Memory: rcmgr.LimitVal64(max(wire.MaxPieceSize, wire.MaxManifestSize) + 1<<20)},
	}
	// No metrics: nothing serves libp2p's (see p2p.NewHost).
	return rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(cfg.Build(rcmgr.DefaultLimits.AutoScale())), rcmgr.WithMetricsDisabled())
}

// slots bounds the requests served at once, in total and per peer. A request takes its slot once
// its header is read, so a peer that opens streams and sends nothing holds none.
type slots struct {
	mu      sync.Mutex
	total   int
	perPeer int
	busy    int
	peers   map[peer.ID]int
}

func newSlots(total, perPeer int) *slots {
	return &slots{total: total, perPeer: min(perPeer, total), peers: map[peer.ID]int{}}
}

// take takes a slot for p, or answers wire.ErrBusy; release gives it back.
func (l *slots) take(p peer.ID) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.busy >= l.total {
		return nil, fmt.Errorf("%w: %d requests in progress", wire.ErrBusy, l.total)
	}
	if l.peers[p] >= l.perPeer {
		return nil, fmt.Errorf("%w: %d requests of this peer in progress", wire.ErrBusy, l.perPeer)
	}
	l.busy++
	l.peers[p]++
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.busy--
		if l.peers[p]--; l.peers[p] == 0 {
			delete(l.peers, p)
		}
	}, nil
}

// memoryKey carries a request's memory account in its context.
type memoryKey struct{}

// memory is the account of one request against the resource manager: its stream's scope.
type memory struct {
	span     network.ResourceScopeSpan
	answered int      // bytes reserved for the answer
	after    []func() // run once the answer is written or dropped: buffers it used go back
}

// done runs what waits for the answer to be written or dropped.
func (m *memory) done() {
	for _, f := range m.after {
		f()
	}
	m.after = nil
}

// reserveAnswer reserves n bytes for the answer of the request of ctx before the handler builds
// it; wire.ErrBusy when the peer or the node has no room. Without an account (a request not
// from a stream) it does nothing.
func reserveAnswer(ctx context.Context, n int) error {
	m, ok := ctx.Value(memoryKey{}).(*memory)
	if !ok || n <= 0 {
		return nil
	}
	if err := m.reserve(n); err != nil {
		return err
	}
	m.answered += n
	return nil
}

func (m *memory) reserve(n int) error {
	if err := m.span.ReserveMemory(n, network.ReservationPriorityAlways); err != nil {
		return fmt.Errorf("%w: no memory for %d bytes: %v", wire.ErrBusy, n, err)
	}
	return nil
}
