package retrieval_test

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/retrieval"
)

// A client's metrics count its segment reads, the segments decoded from parity and the failed
// fetches, as its GetStats do.
func TestClientMetrics(t *testing.T) {
	data := randomBytes(2*int(smallParams.SegmentSize())+100, 11)
	nodes := nodetest.StartNodes(t, 6)
	res, m := put(t, newClient(t, nodes, retrieval.Config{}), data, smallParams)
	nodes[nodeOf(t, nodes, m, 0)].Close()
	reg := prometheus.NewRegistry()
	got, st, err := get(t, newClient(t, nodes, retrieval.Config{Metrics: reg}), res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read with a data node down: %v", err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if c := m.GetCounter(); c != nil {
				name := mf.GetName()
				if len(m.GetLabel()) > 0 {
					name += "/" + m.GetLabel()[0].GetValue()
				}
				values[name] = c.GetValue()
			}
		}
	}
	if values["dstore_client_segment_reads_total/ok"] != float64(st.Segments) || values["dstore_client_decoded_segments_total"] != float64(st.Decoded) ||
		values["dstore_client_failed_fetches_total"] != float64(st.FailedFetches) || st.Decoded == 0 {
		t.Fatalf("metrics %v; stats %+v", values, st)
	}
}
