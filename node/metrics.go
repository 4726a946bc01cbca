package node

import (
	"fmt"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node/wire"
)

// nodeMetrics are the node's request, piece and disk metrics (Config.Metrics); the scrub has its
// own (dstore_scrub_*).
type nodeMetrics struct {
	reg        prometheus.Registerer
	registered []prometheus.Collector

	requests *prometheus.CounterVec   // by protocol and status
	latency  *prometheus.HistogramVec // by protocol
	bytesIn  *prometheus.CounterVec   // request payloads, by protocol
	bytesOut *prometheus.CounterVec   // response payloads, by protocol
	refused  *prometheus.CounterVec   // refused before their handler ran, by protocol and reason
}

func newNodeMetrics(reg prometheus.Registerer, n *Node) (*nodeMetrics, error) {
	if reg == nil {
		return nil, nil
	}
	m := &nodeMetrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dstore_node_requests_total", Help: "Requests the node answered, by protocol and status (ok, not_found, busy, ...).",
		}, []string{"protocol", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dstore_node_request_seconds", Help: "Time from a request's first byte to its answer written, by protocol.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16), // 0.5 ms .. 16 s
		}, []string{"protocol"}),
		bytesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dstore_node_received_bytes_total", Help: "Request payload bytes received (pieces, manifests, tickets), by protocol.",
		}, []string{"protocol"}),
		bytesOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dstore_node_sent_bytes_total", Help: "Response payload bytes sent (pieces, manifests, openings), by protocol.",
		}, []string{"protocol"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dstore_node_refusals_total", Help: "Requests refused before they were served, by protocol and reason (bad_request, too_large, busy, memory).",
		}, []string{"protocol", "reason"}),
	}
	repo := n.cfg.Repo
	collectors := []prometheus.Collector{m.requests, m.latency, m.bytesIn, m.bytesOut, m.refused,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_node_pieces", Help: "Pieces the node holds."},
			func() float64 { return float64(n.store.Pieces()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_node_disk_free_bytes", Help: "Bytes free for the node on the file system of its repo."},
			func() float64 { return float64(diskFree(repo)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_node_disk_size_bytes", Help: "Size of the file system of the node's repo."},
			func() float64 { return float64(diskSize(repo)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dstore_node_peers", Help: "Peers the node is connected to."},
			func() float64 { return float64(len(n.host.Network().Peers())) }),
	}
	for _, p := range protocols {
		m.requests.WithLabelValues(p, "ok") // every protocol shows, at 0 until used
	}
	for _, c := range collectors {
		if err := reg.Register(c); err != nil {
			m.unregister()
			return nil, fmt.Errorf("node: registering the metrics: %w", err)
		}
		m.registered = append(m.registered, c)
	}
	return m, nil
}

func (m *nodeMetrics) unregister() {
	if m == nil {
		return
	}
	for _, c := range m.registered {
		m.reg.Unregister(c)
	}
	m.registered = nil
}

// served counts a request answered (err nil) or failed by its handler.
func (m *nodeMetrics) served(proto string, err error, start time.Time, in, out int64) {
	if m == nil {
		return
	}
	status := "ok"
	if err != nil {
		status = wire.StatusName(wire.StatusOf(err))
	}
	m.requests.WithLabelValues(proto, status).Inc()
	m.latency.WithLabelValues(proto).Observe(time.Since(start).Seconds())
	if in > 0 {
		m.bytesIn.WithLabelValues(proto).Add(float64(in))
	}
	if out > 0 {
		m.bytesOut.WithLabelValues(proto).Add(float64(out))
	}
}

// refusal counts a request refused before its handler ran, and answers it as served.
func (m *nodeMetrics) refusal(proto, reason string, err error, start time.Time) {
	if m == nil {
		return
	}
	m.refused.WithLabelValues(proto, reason).Inc()
	m.served(proto, err, start, 0, 0)
}

func diskFree(dir string) int64 {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

func diskSize(dir string) int64 {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0
	}
	return int64(st.Blocks) * int64(st.Bsize)
}
