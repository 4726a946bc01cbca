package wire_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
)

// A peer that reads the request and never answers must not hang the client: the caller's context
// and the client's own timeout both end the call.
func TestClientGivesUpOnASilentPeer(t *testing.T) {
	silent := p2ptest.NewHost(t)
	release := make(chan struct{})
	defer close(release)
	silent.SetStreamHandler(protocol.ID(wire.ProtoGetPiece), func(s network.Stream) {
		<-release
		s.Reset()
	})
	h := p2ptest.NewHost(t)
	h.Peerstore().AddAddrs(silent.ID(), silent.Addrs(), time.Hour)
	root := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	ref := wire.PieceRef{Root: root}

	t.Run("caller's context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		if _, err := wire.NewClient(h).GetPiece(ctx, silent.ID(), ref, 0, -1); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
	t.Run("client timeout", func(t *testing.T) {
		c := wire.NewClient(h, wire.WithTimeout(200*time.Millisecond))
		if _, err := c.GetPiece(t.Context(), silent.ID(), ref, 0, -1); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
	})
}

// Every payload reaches the node whole and in order, whatever its size against the buffer that
// carries the header and the payload's first bytes.
func TestStorePiecePayloadArrivesWhole(t *testing.T) {
	node := p2ptest.NewHost(t)
	got := make(chan []byte, 1)
	node.SetStreamHandler(protocol.ID(wire.ProtoStorePiece), func(s network.Stream) {
		defer s.Close()
		br := bufio.NewReader(s)
		q, err := wire.ReadRequest(br)
		if err != nil {
			s.Reset()
			return
		}
		b := make([]byte, q.Size)
		if _, err := io.ReadFull(br, b); err != nil || sha256.Sum256(b) != q.Sum {
			s.Reset()
			return
		}
		got <- b
		_, _ = s.Write(wire.EncodeResponse(wire.Response{}))
	})
	h := p2ptest.NewHost(t)
	h.Peerstore().AddAddrs(node.ID(), node.Addrs(), time.Hour)
	c := wire.NewClient(h)
	root := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		size int
	}{
		{"one byte", 1},
		{"a few bytes under the first write", 4<<10 - 100},
		{"just past the first write", 4<<10 + 1},
		{"a whole piece", 1 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := make([]byte, tc.size)
			for i := range data {
				data[i] = byte(rng.Uint32())
			}
			if err := c.StorePiece(t.Context(), node.ID(), wire.PieceRef{Root: root}, sha256.Sum256(data), data); err != nil {
				t.Fatal(err)
			}
			if b := <-got; !bytes.Equal(b, data) {
				t.Fatalf("the node read %d bytes that differ from the %d sent", len(b), len(data))
			}
		})
	}
}

// A node that does not speak a request's protocol (an older build) is reported as ErrUnsupported
// whether its "na" or the reset that ends the failed negotiation reaches the client first, with
// or without a payload, on a new connection each time (the request leaves with the protocol's
// name, before identify has said what the node speaks) and on one already up.
func TestUnsupportedProtocolIsReported(t *testing.T) {
	old := p2ptest.NewHost(t) // speaks none of dstore's protocols
	root := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	piece := bytes.Repeat([]byte{7}, 1<<20)
	for i := range 10 {
		h := p2ptest.NewHost(t)
		h.Peerstore().AddAddrs(old.ID(), old.Addrs(), time.Hour)
		c := wire.NewClient(h)
		if _, _, err := c.ManifestOf(t.Context(), old.ID(), root); !errors.Is(err, wire.ErrUnsupported) {
			t.Fatalf("client %d: ManifestOf on a new connection: %v, want ErrUnsupported", i, err)
		}
		if _, err := c.GetOffer(t.Context(), old.ID()); !errors.Is(err, wire.ErrNoOffer) {
			t.Fatalf("client %d: GetOffer: %v, want ErrNoOffer", i, err)
		}
		err := c.StorePiece(t.Context(), old.ID(), wire.PieceRef{Root: root}, sha256.Sum256(piece), piece)
		if !errors.Is(err, wire.ErrUnsupported) {
			t.Fatalf("client %d: StorePiece: %v, want ErrUnsupported", i, err)
		}
	}
}
