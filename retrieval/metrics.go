package retrieval

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// clientMetrics are the client's read metrics (Config.Metrics): what a gateway or a long-running
// client exports. Nil without a registry.
type clientMetrics struct {
	segments *prometheus.CounterVec // segment reads by result: ok, failed
	decoded  prometheus.Counter     // segments rebuilt from parity
	hedges   prometheus.Counter
	failed   prometheus.Counter // piece fetches that failed
	corrupt  prometheus.Counter // pieces that failed their hashes
	bytes    prometheus.Counter // piece bytes used
	ttfb     prometheus.Histogram
	elapsed  prometheus.Histogram
}

func newClientMetrics(reg prometheus.Registerer) (*clientMetrics, error) {
	if reg == nil {
		return nil, nil
	}
	buckets := prometheus.ExponentialBuckets(0.001, 2, 15) // 1 ms .. 16 s
	m := &clientMetrics{
		segments: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dstore_client_segment_reads_total",
			Help: "Segment reads, by result (ok, failed)."}, []string{"result"}),
		decoded: prometheus.NewCounter(prometheus.CounterOpts{Name: "dstore_client_decoded_segments_total",
			Help: "Segments whose data was rebuilt from parity (a data node down, slow or corrupt)."}),
		hedges: prometheus.NewCounter(prometheus.CounterOpts{Name: "dstore_client_hedges_total",
			Help: "Extra piece fetches started because one was slower than its node's P95."}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{Name: "dstore_client_failed_fetches_total",
			Help: "Piece fetches that failed (node down, timeout, refused)."}),
		corrupt: prometheus.NewCounter(prometheus.CounterOpts{Name: "dstore_client_corrupt_pieces_total",
			Help: "Pieces that failed their hash in the manifest or their leaves' CIDs and were fetched elsewhere."}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{Name: "dstore_client_piece_bytes_total",
			Help: "Bytes of pieces fetched and used by reads."}),
		ttfb: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "dstore_client_segment_first_byte_seconds",
			Help: "Time from a segment read's start to the first byte of its first piece.", Buckets: buckets}),
		elapsed: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "dstore_client_segment_seconds",
			Help: "Time to read one segment, decoding included.", Buckets: buckets}),
	}
	m.segments.WithLabelValues("ok")
	m.segments.WithLabelValues("failed")
	for _, c := range []prometheus.Collector{m.segments, m.decoded, m.hedges, m.failed, m.corrupt, m.bytes, m.ttfb, m.elapsed} {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if errors.As(err, &are) {
				continue // several clients in one process share the counters
			}
			return nil, err
		}
	}
	return m, nil
}

// segment counts one segment read.
func (m *clientMetrics) segment(res segmentResult) {
	if m == nil {
		return
	}
	st := res.stat
	if res.err != nil {
		m.segments.WithLabelValues("failed").Inc()
	} else {
		m.segments.WithLabelValues("ok").Inc()
		m.ttfb.Observe(st.TTFB.Seconds())
		m.elapsed.Observe(st.Elapsed.Seconds())
	}
	if len(st.Decoded) > 0 {
		m.decoded.Inc()
	}
	m.hedges.Add(float64(st.Hedges))
	m.failed.Add(float64(st.Failed))
	m.corrupt.Add(float64(st.Corrupt))
	for _, p := range st.Pieces {
		m.bytes.Add(float64(p.Bytes))
	}
}
