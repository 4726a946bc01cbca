package gateway

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's own Prometheus metrics (boxo's handler adds its own).
type metrics struct {
	lookups *prometheus.CounterVec   // block lookups by result: hit, miss
	bytes   *prometheus.CounterVec   // block bytes by source: cache, network
	ttfb    *prometheus.HistogramVec // time to the first byte of a response, by status class
	fast    prometheus.Counter       // responses written by the fast path

	// The children of lookups and bytes, looked up once: WithLabelValues hashes its labels and
	// takes a lock, and a cached response counts a hit for each of its blocks.
	hits, misses, cacheBytes, netBytes prometheus.Counter
}

// newMetrics makes the metrics and registers them on reg (nil: not registered).
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "dstore", Subsystem: "gateway", Name: "cache_lookups_total",
			Help: "Block lookups of the gateway's cache, by result (hit, miss).",
		}, []string{"result"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "dstore", Subsystem: "gateway", Name: "block_bytes_total",
			Help: "Bytes of blocks served from the cache, and of segments fetched from the network.",
		}, []string{"source"}),
		ttfb: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "dstore", Subsystem: "gateway", Name: "time_to_first_byte_seconds",
			Help:    "Time from a request's arrival to the first byte of its response, by status class.",
			Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"status"}),
		fast: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "dstore", Subsystem: "gateway", Name: "fast_responses_total",
			Help: "Responses written by the fast path (a cached file boxo's handler had served before), not by boxo's handler.",
		}),
	}
	m.hits, m.misses = m.lookups.WithLabelValues("hit"), m.lookups.WithLabelValues("miss")
	m.cacheBytes, m.netBytes = m.bytes.WithLabelValues("cache"), m.bytes.WithLabelValues("network")
	if reg != nil {
		reg.MustRegister(m.lookups, m.bytes, m.ttfb, m.fast)
	}
	return m
}

func (m *metrics) hit(n int) {
	m.hits.Inc()
	m.cacheBytes.Add(float64(n))
}

func (m *metrics) miss() { m.misses.Inc() }

func (m *metrics) fetched(n int) { m.netBytes.Add(float64(n)) }
