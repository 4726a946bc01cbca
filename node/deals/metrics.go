package deals

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dstore-net/dstore/chain"
)

// metrics are always built; they are registered only when Config.Metrics is set.
type metrics struct {
	reg        prometheus.Registerer
	registered []prometheus.Collector

	filled   prometheus.Gauge
	fills    prometheus.Counter
	proofs   prometheus.Counter
	failures prometheus.Counter
	prove    prometheus.Histogram

	refused *prometheus.CounterVec

	finished  prometheus.Counter
	withdrawn prometheus.Counter

	gas     *prometheus.CounterVec // gas of the provider's mined transactions, by method
	balance prometheus.Collector   // the provider's balance in the marketplace, read at each scrape
}

func newMetrics(reg prometheus.Registerer, balance func() float64) (*metrics, error) {
	m := &metrics{
		reg: reg,
		filled: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dstore_slots_filled", Help: "Slots this provider holds and proves.",
		}),
		fills: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dstore_fills_total", Help: "Slots filled by this provider (fillSlot transactions mined).",
		}),
		proofs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dstore_proofs_submitted_total", Help: "Proofs submitted and accepted on chain.",
		}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dstore_proof_failures_total", Help: "Challenges that could not be proven or whose proof was not accepted (retried while the period lasts).",
		}),
		prove: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "dstore_prove_seconds", Help: "Time to prove one challenge: reading the sampled cells and the Groth16 proof.",
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 10), // 0.25 s .. 2 min
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dstore_fills_refused_total", Help: "Slots not filled because their request is outside the provider's policy, by reason.",
		}, []string{"reason"}),
		finished: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dstore_requests_finished_total", Help: "Ended requests this provider settled with finishRequest (its transaction mined).",
		}),
		withdrawn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dstore_withdrawn_wei_total", Help: "Wei withdrawn from the marketplace to the provider's account after settlements (a float: exact to about 1e-16 relative).",
		}),
	}
	if balance != nil {
		m.balance = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "dstore_chain_balance_wei", Help: "The provider's balance in the marketplace (payments not withdrawn yet), read from the chain at each scrape; -1 when the chain does not answer.",
		}, balance)
	}
	m.gas = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dstore_chain_gas_used_total", Help: "Gas of the provider's mined transactions, by method (register, fill, proof, finish, withdraw).",
	}, []string{"method"})
	for _, method := range []string{"register", "fill", "proof", "finish", "withdraw"} {
		m.gas.WithLabelValues(method)
	}
	for _, r := range refusedReasons { // every reason shows, at 0 until it happens
		m.refused.WithLabelValues(r)
	}
	if reg == nil {
		return m, nil
	}
	cs := []prometheus.Collector{m.filled, m.fills, m.proofs, m.failures, m.prove, m.refused, m.finished, m.withdrawn, m.gas}
	if m.balance != nil {
		cs = append(cs, m.balance)
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			m.unregister()
			var dup prometheus.AlreadyRegisteredError
			if errors.As(err, &dup) {
				return nil, errors.Join(ErrInvalidConfig, errors.New("deals: metrics already registered (one Service per registry)"), err)
			}
			return nil, err
		}
		m.registered = append(m.registered, c)
	}
	return m, nil
}

// unregister removes the collectors, so a service started again in the same
// process can register its own.
func (m *metrics) unregister() {
	for _, c := range m.registered {
		m.reg.Unregister(c)
	}
	m.registered = nil
}

// spent counts the gas of a mined transaction of the provider.
func (m *metrics) spent(method string, tx chain.Tx) {
	m.gas.WithLabelValues(method).Add(float64(tx.GasUsed))
}
