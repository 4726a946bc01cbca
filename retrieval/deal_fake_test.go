package retrieval_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

// shardBytes returns the slot bytes of every shard of data cut as m says: the shard's pieces in
// segment order, as a node serves them.
func shardBytes(t testing.TB, data []byte, m *sharding.Manifest) [][]byte {
	t.Helper()
	out := make([][]byte, m.K+m.M)
	for j := 0; j < m.NumSegments(); j++ {
		seg, err := sharding.EncodeSegment(bytes.NewReader(data), m, j)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range seg.Pieces {
			out[i] = append(out[i], p...)
		}
	}
	return out
}

// fakeHolder serves the slot protocols of one shard, as a storage node would, from a tree it
// committed over bytes of its choosing: the uploaded shard, or altered bytes for a holder that
// announces a root of other bytes. It is the test double of a lying node: a real node builds its
// tree over the pieces it checked against their SHA-256.
type fakeHolder struct {
	h       host.Host
	shard   int
	slot    prover.BytesSlot
	tree    *prover.Tree
	account [20]byte
}

func startFakeHolder(t testing.TB, p prover.Params, shard int, slot []byte, account [20]byte) *fakeHolder {
	t.Helper()
	h := p2ptest.NewHost(t)
	tree, err := prover.Commit(context.Background(), prover.BytesSlot(slot), p)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeHolder{h: h, shard: shard, slot: slot, tree: tree, account: account}
	f.serve(wire.ProtoSlotRoot, func(wire.Request, []byte) ([]byte, error) {
		return wire.EncodeSlotInfo(wire.SlotInfo{Ready: true, Root: tree.RootBytes(), Cells: tree.Cells(), Size: tree.Size(), Account: f.account}), nil
	})
	f.serve(wire.ProtoSlotOpen, func(_ wire.Request, payload []byte) ([]byte, error) {
		cells, err := wire.DecodeCells(payload)
		if err != nil {
			return nil, err
		}
		paths := make([][]fr.Element, len(cells))
		for k, c := range cells {
			o, err := tree.Open(context.Background(), f.slot, c)
			if err != nil {
				return nil, err
			}
			paths[k] = o.Path
		}
		return wire.EncodePaths(paths)
	})
	return f
}

func (f *fakeHolder) serve(proto string, fn func(wire.Request, []byte) ([]byte, error)) {
	f.h.SetStreamHandler(protocol.ID(proto), func(s network.Stream) {
		defer s.Close()
		br := bufio.NewReader(s)
		q, err := wire.ReadRequest(br)
		if err != nil || q.Shard != f.shard {
			s.Reset()
			return
		}
		payload := make([]byte, q.Size)
		if _, err := io.ReadFull(br, payload); err != nil {
			s.Reset()
			return
		}
		body, err := fn(q, payload)
		if err != nil {
			_, _ = s.Write(wire.EncodeResponse(wire.Response{Code: wire.StatusOf(err), Msg: err.Error()}))
			return
		}
		_, _ = s.Write(append(wire.EncodeResponse(wire.Response{Size: int64(len(body))}), body...))
	})
}

func (f *fakeHolder) location() sharding.Location {
	loc := sharding.Location{Peer: f.h.ID().String()}
	for _, a := range f.h.Addrs() {
		loc.Addrs = append(loc.Addrs, a.String())
	}
	return loc
}
