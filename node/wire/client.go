package wire

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	msmux "github.com/multiformats/go-multistream"
)

// Client speaks dstore's protocols to storage nodes.
type Client struct {
	h       host.Host
	timeout time.Duration
	payer   Payer
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithTimeout bounds every request, including its payload transfer. Default 60s.
func WithTimeout(d time.Duration) ClientOption { return func(c *Client) { c.timeout = d } }

// WithPayer pays for piece reads: each carries the receipt p attaches, and p learns of the bytes
// that came back. Nil reads without paying.
func WithPayer(p Payer) ClientOption { return func(c *Client) { c.payer = p } }

// NewClient returns a client that dials from h.
func NewClient(h host.Host, opts ...ClientOption) *Client {
	c := &Client{h: h, timeout: 60 * time.Second}
	for _, o := range opts {
		o(c)
	}
	return c
}

// StatResponse says what a node holds of one shard.
type StatResponse struct {
	Segments int
	Bytes    int64
}

// firstWrite bounds the buffer that carries a request's header and its payload's first bytes.
const firstWrite = 4 << 10

// exchange sends one request with its payload to p and hands the response header, with a reader
// of at most maxResp payload bytes, to fn. A remote error comes back as a *RemoteError.
func (c *Client) exchange(ctx context.Context, p peer.ID, proto string, q Request, payload []byte, maxResp int64, fn func(Response, io.Reader) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	s, err := c.newStream(ctx, p, protocol.ID(proto))
	if err != nil {
		return fmt.Errorf("opening %s to %s: %w", proto, p, err)
	}
	stop := context.AfterFunc(ctx, func() { s.Reset() })
	defer stop()
	// The context ends the call first (and says why); the stream's deadline is only a backstop.
	_ = s.SetDeadline(time.Now().Add(c.timeout + time.Second))
	q.Size = int64(len(payload))
	// A node may answer (an error) before it has read the whole payload and then stop reading, so
	// a failed write is reported only if no answer can be read after it.
	// The header and the payload's first bytes leave in one write through a buffer of at most
	// firstWrite bytes; the rest of the payload is written from the caller's slice. A piece of 1 MiB
	// was copied 64 KiB at a time into a 64 KiB buffer of its own, 6% of a put's bytes copied once
	// more and most of its garbage.
	hdr := EncodeRequest(q)
	w := bufio.NewWriterSize(s, min(firstWrite, len(hdr)+len(payload)))
	_, werr := w.Write(hdr)
	if werr == nil {
		_, werr = w.Write(payload)
	}
	if werr == nil {
		werr = w.Flush()
	}
	if werr == nil {
		// Half-closing only tells the node that the request is complete; the node may already have
		// answered and closed its side, which makes this fail harmlessly.
		_ = s.CloseWrite()
	}
	br := bufio.NewReader(s)
	resp, err := ReadResponse(br)
	if err != nil {
		s.Reset()
		if ctx.Err() != nil {
			return fmt.Errorf("node %s: %w", p, ctx.Err())
		}
		if notSupported(err) || notSupported(werr) {
			return fmt.Errorf("node %s: %w: %s", p, ErrUnsupported, proto)
		}
		if werr != nil {
			return fmt.Errorf("sending to %s: %w", p, werr)
		}
		return fmt.Errorf("reading the answer of %s: %w", p, err)
	}
	if resp.Code == statusOK && werr != nil { // cannot happen with a correct node
		s.Reset()
		return fmt.Errorf("sending to %s: %w", p, werr)
	}
	if resp.Code != statusOK {
		s.Close()
		return &RemoteError{Peer: p.String(), Code: resp.Code, Msg: resp.Msg}
	}
	if resp.Size > maxResp {
		s.Reset()
		return fmt.Errorf("node %s: %w: answer of %d bytes, at most %d expected", p, ErrTooLarge, resp.Size, maxResp)
	}
	if err := fn(resp, io.LimitReader(br, resp.Size)); err != nil {
		s.Reset()
		return err
	}
	return s.Close()
}

// newStream opens a stream to p that speaks proto. Unlike the host's NewStream, it does not wait
// for identify to finish on a new connection before it sends anything: the protocol's name leaves
// with the request (multistream-select's lazy form, what the host does once identify has said that
// p speaks proto), and a node that does not speak it answers with msmux.ErrNotSupported on the
// first read. This takes a round trip off every request on a new connection: a new client's first
// read pays the handshakes and its requests, and not identify's round trip in between.
func (c *Client) newStream(ctx context.Context, p peer.ID, proto protocol.ID) (network.Stream, error) {
	ctx = network.WithAllowLimitedConn(ctx, "dstore")
	if err := c.h.Connect(ctx, peer.AddrInfo{ID: p}); err != nil {
		return nil, err
	}
	s, err := c.h.Network().NewStream(network.WithNoDial(ctx, "connected"), p)
	if err != nil {
		return nil, err
	}
	if err := s.SetProtocol(proto); err != nil { // the resource manager's protocol scope
		s.Reset()
		return nil, err
	}
	return &lazyStream{Stream: s, rw: msmux.NewMSSelect(s, proto)}, nil
}

// notSupported says whether err is a node's refusal of a stream's protocol: its "na", or the reset
// with which a libp2p host ends a negotiation that failed, which can overtake the "na".
func notSupported(err error) bool {
	var ns msmux.ErrNotSupported[protocol.ID]
	var se *network.StreamError
	return errors.As(err, &ns) || errors.As(err, &se) && se.Remote && se.ErrorCode == network.StreamProtocolNegotiationFailed
}

// lazyStream is a stream whose protocol negotiation rides with its first write and is read back
// before its first read.
type lazyStream struct {
	network.Stream
	rw io.ReadWriteCloser
}

func (s *lazyStream) Read(b []byte) (int, error)  { return s.rw.Read(b) }
func (s *lazyStream) Write(b []byte) (int, error) { return s.rw.Write(b) }

// Close closes the stream through the negotiation, which reads the node's side of it first; the
// caller's deadline on the stream bounds that read.
func (s *lazyStream) Close() error { return s.rw.Close() }

// CloseWrite sends the negotiation if nothing was written yet, then half-closes the stream.
func (s *lazyStream) CloseWrite() error {
	if f, ok := s.rw.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	return s.Stream.CloseWrite()
}

func readPayload(resp Response, r io.Reader) ([]byte, error) {
	buf := make([]byte, resp.Size)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("%w: payload cut short: %v", ErrProtocol, err)
	}
	return buf, nil
}

// StorePiece sends a piece to p, which acknowledges it only after checking it against sum.
func (c *Client) StorePiece(ctx context.Context, p peer.ID, ref PieceRef, sum [32]byte, data []byte) error {
	if len(data) > MaxPieceSize {
		return fmt.Errorf("%w: piece of %d bytes", ErrTooLarge, len(data))
	}
	q := Request{Root: ref.Root, Shard: ref.Shard, Segment: ref.Segment, Sum: sum}
	return c.exchange(ctx, p, ProtoStorePiece, q, data, 0, func(Response, io.Reader) error { return nil })
}

// GetPiece reads n bytes of a piece from offset off (n < 0: to the end).
func (c *Client) GetPiece(ctx context.Context, p peer.ID, ref PieceRef, off, n int64) ([]byte, error) {
	limit := int64(MaxPieceSize)
	if n >= 0 {
		limit = n
	}
	var out []byte
	receipt, err := c.attach(ctx, p, n)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	q := Request{Root: ref.Root, Shard: ref.Shard, Segment: ref.Segment, Off: off, N: n}
	err = c.exchange(ctx, p, ProtoGetPiece, q, receipt, limit, func(resp Response, r io.Reader) (err error) {
		ttfb := time.Since(start)
		out, err = readPayload(resp, r)
		if err == nil && c.payer != nil {
			c.payer.Received(p, int64(len(out)), ttfb)
		}
		return err
	})
	return out, err
}

// GetPieceInto reads len(dst) bytes of a piece from offset off into dst, without allocating. It
// returns the time from the call to the answer's header (the time to first byte); an answer of
// another length is a protocol error.
func (c *Client) GetPieceInto(ctx context.Context, p peer.ID, ref PieceRef, off int64, dst []byte) (time.Duration, error) {
	start := time.Now()
	receipt, err := c.attach(ctx, p, int64(len(dst)))
	if err != nil {
		return 0, err
	}
	var ttfb time.Duration
	q := Request{Root: ref.Root, Shard: ref.Shard, Segment: ref.Segment, Off: off, N: int64(len(dst))}
	err = c.exchange(ctx, p, ProtoGetPiece, q, receipt, int64(len(dst)), func(resp Response, r io.Reader) error {
		ttfb = time.Since(start)
		if resp.Size != int64(len(dst)) {
			return fmt.Errorf("%w: node %s sent %d bytes of piece %s at %d, %d asked", ErrProtocol, p, resp.Size, ref, off, len(dst))
		}
		if _, err := io.ReadFull(r, dst); err != nil {
			return fmt.Errorf("%w: payload cut short: %v", ErrProtocol, err)
		}
		if c.payer != nil {
			c.payer.Received(p, int64(len(dst)), ttfb)
		}
		return nil
	})
	return ttfb, err
}

// StoreManifest sends a marshaled manifest to p. The node keeps its content under the manifest's
// CID (write-once) and its placement beside it; it refuses it unless the sender may store there.
func (c *Client) StoreManifest(ctx context.Context, p peer.ID, manifest []byte) error {
	if len(manifest) > MaxManifestSize {
		return fmt.Errorf("%w: manifest of %d bytes", ErrTooLarge, len(manifest))
	}
	return c.exchange(ctx, p, ProtoStoreManifest, Request{}, manifest, 0, func(Response, io.Reader) error { return nil })
}

// GetManifest fetches from p the marshaled manifest whose CID is mcid, with the placement p holds
// for it. The caller checks the bytes against mcid (sharding.Manifest.CID).
func (c *Client) GetManifest(ctx context.Context, p peer.ID, mcid cid.Cid) ([]byte, error) {
	var out []byte
	err := c.exchange(ctx, p, ProtoGetManifest, Request{Root: mcid}, nil, MaxManifestSize, func(resp Response, r io.Reader) (err error) {
		out, err = readPayload(resp, r)
		return err
	})
	return out, err
}

// ManifestOf fetches from p the marshaled manifest it holds for the file root, with the
// placement p holds for it. The caller checks the bytes (their CID is the manifest's). A node that
// does not speak ProtoManifestOf answers ErrUnsupported (as any request does): ask it with
// ListManifests. It also returns the time from the request to the answer's first byte, on a
// connection already up (the dial is not counted): a measure of p's round trip.
func (c *Client) ManifestOf(ctx context.Context, p peer.ID, root cid.Cid) ([]byte, time.Duration, error) {
	if err := c.h.Connect(network.WithAllowLimitedConn(ctx, "dstore"), peer.AddrInfo{ID: p}); err != nil {
		return nil, 0, fmt.Errorf("connecting to %s: %w", p, err)
	}
	start := time.Now()
	var ttfb time.Duration
	var out []byte
	err := c.exchange(ctx, p, ProtoManifestOf, Request{Root: root}, nil, MaxManifestSize, func(resp Response, r io.Reader) (err error) {
		ttfb = time.Since(start)
		out, err = readPayload(resp, r)
		return err
	})
	return out, ttfb, err
}

// ListManifests asks p which manifests it holds for the file root.
func (c *Client) ListManifests(ctx context.Context, p peer.ID, root cid.Cid) ([]cid.Cid, error) {
	var out []cid.Cid
	err := c.exchange(ctx, p, ProtoListManifests, Request{Root: root}, nil, manifestListSize, func(resp Response, r io.Reader) error {
		b, err := readPayload(resp, r)
		if err == nil {
			out, err = DecodeManifestList(b)
		}
		return err
	})
	return out, err
}

// SendTicket hands p an upload ticket for the writes that follow.
func (c *Client) SendTicket(ctx context.Context, p peer.ID, t Ticket) error {
	b := EncodeTicket(t)
	if len(b) > MaxTicketSize {
		return fmt.Errorf("%w: ticket of %d bytes", ErrTooLarge, len(b))
	}
	return c.exchange(ctx, p, ProtoTicket, Request{Root: t.Root, Shard: t.Shard}, b, 0, func(Response, io.Reader) error { return nil })
}

// Stat asks p what it holds of one shard of root.
func (c *Client) Stat(ctx context.Context, p peer.ID, root cid.Cid, shard int) (StatResponse, error) {
	var st StatResponse
	err := c.exchange(ctx, p, ProtoStat, Request{Root: root, Shard: shard}, nil, 0, func(resp Response, _ io.Reader) error {
		st = StatResponse{Segments: int(resp.Segments), Bytes: resp.Bytes}
		return nil
	})
	return st, err
}
