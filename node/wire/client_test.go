package wire_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/dstore-net/dstore/node/wire"
)

func newHost(t *testing.T) host.Host {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// A peer that reads the request and never answers must not hang the client: the caller's context
// and the client's own timeout both end the call.
func TestClientGivesUpOnASilentPeer(t *testing.T) {
	silent := newHost(t)
	release := make(chan struct{})
	defer close(release)
	silent.SetStreamHandler(protocol.ID(wire.ProtoGetPiece), func(s network.Stream) {
		<-release
		s.Reset()
	})
	h := newHost(t)
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
