package p2p

import (
	"context"
	"net"
	"sync"

	ci "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/core/sec"
	tptu "github.com/libp2p/go-libp2p/p2p/net/upgrader"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
)

// recordBatch is how many bytes of TLS records a connection gathers before one system call. Go's
// crypto/tls writes each record of at most 16 KiB with a write of its own, and a yamux frame of a
// whole piece is 65 of them (98,000 writes on the client for a put of 1 GiB). Gathered, a frame
// leaves in 5 writes, and a stream costs both ends about 10% less CPU (BenchmarkStream).
const recordBatch = 256 << 10

// gatheringTLS is libp2p's TLS 1.3 security transport (the same handshake, records and protocol
// ID, so any libp2p peer speaks it) whose connections send the records of one Write together.
type gatheringTLS struct {
	*libp2ptls.Transport
}

var _ sec.SecureTransport = (*gatheringTLS)(nil)

// newGatheringTLS has the signature libp2p.Security injects.
func newGatheringTLS(id protocol.ID, key ci.PrivKey, muxers []tptu.StreamMuxer) (*gatheringTLS, error) {
	t, err := libp2ptls.New(id, key, muxers)
	if err != nil {
		return nil, err
	}
	return &gatheringTLS{t}, nil
}

func (t *gatheringTLS) SecureInbound(ctx context.Context, insecure net.Conn, p peer.ID) (sec.SecureConn, error) {
	g := &gatherConn{Conn: insecure}
	return g.secured(t.Transport.SecureInbound(ctx, g, p))
}

func (t *gatheringTLS) SecureOutbound(ctx context.Context, insecure net.Conn, p peer.ID) (sec.SecureConn, error) {
	g := &gatherConn{Conn: insecure}
	return g.secured(t.Transport.SecureOutbound(ctx, g, p))
}

// secured is the TLS connection c over g, gathering its records.
func (g *gatherConn) secured(c sec.SecureConn, err error) (sec.SecureConn, error) {
	if err != nil {
		return nil, err
	}
	return &gatheredConn{SecureConn: c, raw: g}, nil
}

// gatheredConn is a TLS connection whose Write sends the records it makes in writes of up to
// recordBatch bytes.
type gatheredConn struct {
	sec.SecureConn
	raw *gatherConn
	wmu sync.Mutex // one Write gathers at a time
}

func (c *gatheredConn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.raw.gather()
	n, err := c.SecureConn.Write(b)
	if ferr := c.raw.release(); err == nil && ferr != nil {
		// The records are lost with the connection, which TLS cannot write on any more.
		return 0, ferr
	}
	return n, err
}

// gatherConn is the TCP connection under a gatheredConn: between gather and release, what TLS
// writes is kept in a buffer that goes out when full and at release. Reads are left as TLS makes
// them (about 32 KiB at a time): reading ahead into a buffer of our own saved 3% of the CPU of a
// stream, and an idle connection would hold that buffer while its read waits.
type gatherConn struct {
	net.Conn
	mu        sync.Mutex // TLS writes records from Read too (a key update's answer)
	gathering bool
	buf       *[]byte // pooled while gathering
}

var batchPool = sync.Pool{New: func() any { b := make([]byte, 0, recordBatch); return &b }}

func (g *gatherConn) gather() {
	g.mu.Lock()
	g.gathering = true
	g.mu.Unlock()
}

// release sends what was gathered and makes later writes go straight to the connection.
func (g *gatherConn) release() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gathering = false
	err := g.flush()
	if g.buf != nil {
		batchPool.Put(g.buf)
		g.buf = nil
	}
	return err
}

func (g *gatherConn) flush() error {
	if g.buf == nil || len(*g.buf) == 0 {
		return nil
	}
	_, err := g.Conn.Write(*g.buf)
	*g.buf = (*g.buf)[:0]
	return err
}

func (g *gatherConn) Write(b []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.gathering {
		return g.Conn.Write(b)
	}
	if g.buf == nil {
		g.buf = batchPool.Get().(*[]byte)
	}
	if len(*g.buf)+len(b) > cap(*g.buf) {
		if err := g.flush(); err != nil {
			return 0, err
		}
		if len(b) > cap(*g.buf) {
			return g.Conn.Write(b)
		}
	}
	*g.buf = append(*g.buf, b...)
	return len(b), nil
}
