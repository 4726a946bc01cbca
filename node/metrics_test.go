package node_test

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
)

// The node counts what it serves, by protocol and status, the bytes both ways, what it refuses
// before serving, and the pieces it holds.
func TestNodeMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Metrics: reg})
	c, _ := client(t, n)
	data := bytes.Repeat([]byte("metrics "), 3000)
	m := upload(t, c, n, data)
	piece, err := c.GetPiece(t.Context(), n.ID(), wire.PieceRef{Root: m.Root}, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	h := p2ptest.NewHost(t, p2ptest.Knowing(n))
	_, _ = rawExchange(t, h, n, wire.ProtoGetPiece, []byte{9, 9, 9}) // answered with bad request

	stored := 0
	for _, seg := range m.Segments {
		stored += len(seg)
	}
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"pieces held", counter(t, reg, "dstore_node_pieces"), float64(stored)},
		{"pieces stored", counter(t, reg, "dstore_node_requests_total", wire.ProtoStorePiece, "ok"), float64(stored)},
		{"pieces read", counter(t, reg, "dstore_node_requests_total", wire.ProtoGetPiece, "ok"), 1},
		{"bytes sent", counter(t, reg, "dstore_node_sent_bytes_total", wire.ProtoGetPiece), float64(len(piece))},
		{"garbage refused", counter(t, reg, "dstore_node_refusals_total", wire.ProtoGetPiece, "bad_request"), 1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if in := counter(t, reg, "dstore_node_received_bytes_total", wire.ProtoStorePiece); in < float64(len(data)) {
		t.Errorf("received %v bytes of pieces for a %d-byte file", in, len(data))
	}
	if free := counter(t, reg, "dstore_node_disk_free_bytes"); free <= 0 {
		t.Errorf("disk free %v", free)
	}
}

// counter reads the value of name with the label values given, 0 if absent.
func counter(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for i, l := range m.GetLabel() {
				if i >= len(labels) || l.GetValue() != labels[i] {
					continue metrics
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}
