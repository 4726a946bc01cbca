package retrieval

import (
	"encoding/json"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Defaults of the estimator.
const (
	// DefaultHalfLife is how long it takes an observation to count half as much as a new one.
	DefaultHalfLife = 5 * time.Minute
	// failurePenalty is what a failed fetch counts as, in time to first byte: heavy, so that a node
	// that failed is chosen only when the others are worse, and light enough to decay in minutes.
	failurePenalty = 5 * time.Second
	// unknownTTFB and unknownThroughput stand for a node never read from and never pinged.
	unknownTTFB       = 200 * time.Millisecond
	unknownThroughput = 20e6 // bytes per second
	// maxDownBackoff bounds how long a node that keeps failing its dials is skipped.
	maxDownBackoff = 10 * time.Minute
	// lateHalfLife is how fast the lower bound of a late fetch (Late) fades: a node that became
	// slow is left alone for about a minute, then tried again.
	lateHalfLife = 20 * time.Second
)

// NodeEstimate is what the client expects of one node, from its own fetches (decayed with the
// estimator's half-life) or, for a node never read from, a ping.
type NodeEstimate struct {
	Peer peer.ID `json:"peer"`
	// TTFB is the expected time to first byte of a piece fetch; TTFBP95 its 95th percentile.
	TTFB    time.Duration `json:"ttfb_ns"`
	TTFBP95 time.Duration `json:"ttfb_p95_ns"`
	// Throughput is the expected transfer rate after the first byte, in bytes per second.
	Throughput float64 `json:"throughput_bps"`
	// Samples and Failures are the decayed counts of successful and failed fetches.
	Samples  float64 `json:"samples"`
	Failures float64 `json:"failures"`
	// RTT is the ping round trip that seeds a node never read from (0: not pinged).
	RTT time.Duration `json:"rtt_ns,omitempty"`
	// Down says the node failed a dial and is skipped until DownUntil.
	Down      bool      `json:"down,omitempty"`
	DownUntil time.Time `json:"down_until,omitzero"`
	Updated   time.Time `json:"updated"`
}

// nodeStats is the decayed state of one node. The exported fields are what the estimator persists.
type nodeStats struct {
	Weight  float64 `json:"w"`        // decayed count of successful fetches
	TTFB    float64 `json:"ttfb"`     // weighted mean time to first byte, seconds
	TTFBVar float64 `json:"ttfb_var"` // weighted variance of it, seconds²
	Bytes   float64 `json:"bytes"`    // decayed bytes moved after the first byte
	Seconds float64 `json:"secs"`     // decayed seconds spent moving them
	Fails   float64 `json:"fails"`    // decayed count of failed fetches
	RTT     float64 `json:"rtt"`      // ping round trip, seconds
	// Late is the time to first byte a fetch was seen to exceed without an answer (Late), seconds,
	// fading with lateHalfLife: a lower bound that the mean of past fetches cannot hide.
	Late     float64   `json:"late,omitempty"`
	Updated  time.Time `json:"t"`
	lateAt   time.Time // when Late was last raised
	down     time.Time // skipped until then
	downStep time.Duration
}

// Estimator predicts how fast each node answers from the client's own measurements: the time to
// first byte and the throughput of every fetch, decayed with a half-life so that a node that changed
// is seen within minutes, and a failure counted as a heavy penalty. It is safe for concurrent use;
// share one between clients (a long-running gateway keeps it for its lifetime), or persist it with
// MarshalJSON and UnmarshalJSON (the CLI keeps it in its home).
type Estimator struct {
	halfLife time.Duration
	now      func() time.Time

	mu    sync.Mutex
	nodes map[peer.ID]*nodeStats
	price map[peer.ID]float64 // SetPriceFactor
	late  chan struct{}       // closed at the next Late
}

// NewEstimator returns an empty estimator whose observations lose half their weight every
// halfLife (0 means DefaultHalfLife).
func NewEstimator(halfLife time.Duration) *Estimator {
	if halfLife <= 0 {
		halfLife = DefaultHalfLife
	}
	return &Estimator{halfLife: halfLife, now: time.Now, nodes: make(map[peer.ID]*nodeStats)}
}

// stats returns p's state decayed to now, creating it. The caller holds e.mu.
func (e *Estimator) stats(p peer.ID, now time.Time) *nodeStats {
	s, ok := e.nodes[p]
	if !ok {
		s = &nodeStats{Updated: now}
		e.nodes[p] = s
		return s
	}
	if dt := now.Sub(s.Updated); dt > 0 {
		f := math.Exp2(-float64(dt) / float64(e.halfLife))
		s.Weight *= f
		s.Bytes *= f
		s.Seconds *= f
		s.Fails *= f
		s.Late *= math.Exp2(-float64(dt) / float64(lateHalfLife))
		s.Updated = now
	}
	return s
}

// Observe records a successful fetch from p: its time to first byte, then n bytes in total.
func (e *Estimator) Observe(p peer.ID, ttfb, total time.Duration, n int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stats(p, e.now())
	x := ttfb.Seconds()
	if s.Weight < 0.01 && s.RTT > 0 {
		// The ping's estimate counts as one sample: one slow first fetch on a loaded machine
		// does not make a near node look far.
		prior, _, _, _, _ := e.model(p)
		s.Weight, s.TTFB, s.TTFBVar = 1, prior.Seconds(), 0
	}
	w := s.Weight + 1
	delta := x - s.TTFB
	s.TTFB += delta / w
	s.TTFBVar = (s.Weight*s.TTFBVar + delta*(x-s.TTFB)) / w
	s.Weight = w
	if x < s.Late {
		s.Late = 0 // it answers in time again
	}
	if xfer := (total - ttfb).Seconds(); n > 0 && xfer > 0 {
		s.Bytes += float64(n)
		s.Seconds += xfer
	}
	s.down, s.downStep = time.Time{}, 0
}

// Fail records a failed fetch from p: a heavy penalty that decays like any observation.
func (e *Estimator) Fail(p peer.ID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats(p, e.now()).Fails++
}

// Late records that a fetch from p has run for elapsed without its first byte, past the point
// where it was hedged: p is expected to take at least that long until it answers a fetch sooner,
// the bound fading within a minute. It wakes the reads with a fetch to p in flight (lateSignal),
// which hedge it at once.
func (e *Estimator) Late(p peer.ID, elapsed time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	s := e.stats(p, now)
	s.Late = max(s.Late, elapsed.Seconds())
	s.lateAt = now
	if e.late != nil {
		close(e.late)
		e.late = nil
	}
}

// lateSignal returns a channel closed at the next Late.
func (e *Estimator) lateSignal() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.late == nil {
		e.late = make(chan struct{})
	}
	return e.late
}

// lateSince returns when p was last found late (Late), the zero time if it answers in time.
func (e *Estimator) lateSince(p peer.ID) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.nodes[p]; ok && s.Late > 0 {
		return s.lateAt
	}
	return time.Time{}
}

// Suspect says whether p was found late recently enough that its bound (Late) is still more than
// twice its usual time to first byte: a read leaves its pieces to parity.
func (e *Estimator) Suspect(p peer.ID) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.nodes[p]
	if !ok || s.Late == 0 {
		return false
	}
	s = e.stats(p, e.now())
	return s.Late > 2*s.TTFB && s.Late > 0.001
}

// MarkDown records that p refused a dial or let it time out: p is skipped for backoff, doubled
// for every further failure in a row (at most maxDownBackoff), so that a dead node costs one dial
// timeout per process, not one per segment. A successful fetch (Observe) clears it.
func (e *Estimator) MarkDown(p peer.ID, backoff time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	s := e.stats(p, now)
	s.Fails++
	if s.downStep == 0 {
		s.downStep = backoff
	} else {
		s.downStep = min(2*s.downStep, maxDownBackoff)
	}
	s.down = now.Add(s.downStep)
}

// Down says whether p is skipped after a failed dial.
func (e *Estimator) Down(p peer.ID) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.nodes[p]
	return ok && e.now().Before(s.down)
}

// SeedRTT records a ping round trip of p; it stands for the time to first byte until p has
// answered a fetch.
func (e *Estimator) SeedRTT(p peer.ID, rtt time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats(p, e.now()).RTT = rtt.Seconds()
}

// Known says whether p was measured or pinged.
func (e *Estimator) Known(p peer.ID) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.nodes[p]
	return ok && (s.Weight > 0.01 || s.RTT > 0)
}

// model returns p's expected time to first byte, its 95th percentile, and throughput. The caller
// holds e.mu.
func (e *Estimator) model(p peer.ID) (ttfb, p95 time.Duration, thr float64, fails, weight float64) {
	s, ok := e.nodes[p]
	if ok {
		s = e.stats(p, e.now())
	} else {
		s = &nodeStats{}
	}
	thr = unknownThroughput
	if s.Seconds > 0 && s.Bytes > 0 {
		thr = s.Bytes / s.Seconds
	} else if t := e.typical(func(s *nodeStats) (float64, bool) { return s.Bytes / s.Seconds, s.Seconds > 0 && s.Bytes > 0 }); t > 0 {
		thr = t
	}
	switch {
	case s.Weight > 0.01:
		mean := s.TTFB
		sd := math.Sqrt(max(s.TTFBVar, 0))
		ttfb = seconds(mean)
		// A normal P95 is mean + 1.645 sd; with few samples the spread is unknown, so never less
		// than twice the mean.
		p95 = max(seconds(mean+1.645*sd), 2*ttfb)
	case s.RTT > 0:
		// A fetch takes the round trip plus the time a node takes to find and read a piece, as
		// the measured nodes show it (or a second round trip, for want of them).
		service := e.typical(func(s *nodeStats) (float64, bool) { return max(s.TTFB-s.RTT, 0), s.Weight > 0.01 && s.RTT > 0 })
		if service < 0 {
			service = s.RTT
		}
		ttfb = seconds(s.RTT + service)
		p95 = 3 * ttfb
	default:
		// Never measured nor pinged: as fast as the typical node measured, for want of better.
		ttfb = unknownTTFB
		if t := e.typical(func(s *nodeStats) (float64, bool) { return s.TTFB, s.Weight > 0.01 }); t >= 0 {
			ttfb = seconds(t)
		}
		p95 = 3 * ttfb
	}
	// A late fetch bounds the time to first byte from below; the P95, which says when a fetch is
	// late, stays that of the node's answers.
	ttfb = max(ttfb, seconds(s.Late))
	return ttfb, p95, thr, s.Fails, s.Weight
}

// typical is the median of f over the nodes for which it is defined; -1 when none is. The caller
// holds e.mu.
func (e *Estimator) typical(f func(*nodeStats) (float64, bool)) float64 {
	var xs []float64
	for _, s := range e.nodes {
		if x, ok := f(s); ok {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return -1
	}
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

// Expect is how long a fetch of n bytes from p is expected to take, failures included.
func (e *Estimator) Expect(p peer.ID, n int64) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	ttfb, _, thr, fails, w := e.model(p)
	d := ttfb + seconds(float64(n)/thr)
	if fails > 0.01 {
		d += time.Duration(fails / (fails + w) * float64(failurePenalty))
	}
	if s, ok := e.nodes[p]; ok && e.now().Before(s.down) {
		d += failurePenalty
	}
	return d
}

// SetPriceFactor sets what p's price weighs in Score: its price a byte as a fraction of the most
// the client pays (0: free, 1: at the limit).
func (e *Estimator) SetPriceFactor(p peer.ID, f float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.price == nil {
		e.price = map[peer.ID]float64{}
	}
	e.price[p] = max(f, 0)
}

// Score ranks p for a read of n bytes, lower first: the expected time (Expect) weighed up by its
// price, so that a node at the client's --max-price counts as twice as slow as a free one.
func (e *Estimator) Score(p peer.ID, n int64) time.Duration {
	d := e.Expect(p, n)
	e.mu.Lock()
	f := e.price[p]
	e.mu.Unlock()
	return d + time.Duration(float64(d)*f)
}

// P95 is the time within which 95% of p's fetches of n bytes are expected to end: a fetch that
// takes longer is in the tail and worth a hedge.
func (e *Estimator) P95(p peer.ID, n int64) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, p95, thr, _, _ := e.model(p)
	// Throughput varies less than the first byte; half as much again covers its tail.
	return p95 + seconds(1.5*float64(n)/thr)
}

// Estimate returns what the estimator expects of p.
func (e *Estimator) Estimate(p peer.ID) NodeEstimate {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.estimate(p)
}

func (e *Estimator) estimate(p peer.ID) NodeEstimate {
	ttfb, p95, thr, fails, w := e.model(p)
	est := NodeEstimate{Peer: p, TTFB: ttfb, TTFBP95: p95, Throughput: thr, Samples: w, Failures: fails}
	if s, ok := e.nodes[p]; ok {
		est.RTT = seconds(s.RTT)
		est.Updated = s.Updated
		if e.now().Before(s.down) {
			est.Down, est.DownUntil = true, s.down
		}
	}
	return est
}

// Estimates returns the estimate of every node the estimator knows, fastest first.
func (e *Estimator) Estimates() []NodeEstimate {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]NodeEstimate, 0, len(e.nodes))
	for p := range e.nodes {
		out = append(out, e.estimate(p))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TTFB != out[j].TTFB {
			return out[i].TTFB < out[j].TTFB
		}
		return out[i].Peer < out[j].Peer
	})
	return out
}

// estimatorFile is the persisted form of an Estimator.
type estimatorFile struct {
	Version  int                   `json:"version"`
	HalfLife time.Duration         `json:"half_life_ns"`
	Nodes    map[string]*nodeStats `json:"nodes"`
}

// MarshalJSON writes the estimator's state (not the down marks: they belong to one process).
func (e *Estimator) MarshalJSON() ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := estimatorFile{Version: 1, HalfLife: e.halfLife, Nodes: make(map[string]*nodeStats, len(e.nodes))}
	for p, s := range e.nodes {
		f.Nodes[p.String()] = s
	}
	return json.Marshal(f)
}

// UnmarshalJSON replaces the estimator's state with one MarshalJSON wrote. Entries with a malformed
// peer ID or impossible numbers are dropped: the file is a cache, never trusted to be right.
func (e *Estimator) UnmarshalJSON(b []byte) error {
	var f estimatorFile
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.halfLife <= 0 {
		e.halfLife = DefaultHalfLife
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.nodes = make(map[peer.ID]*nodeStats, len(f.Nodes))
	for k, s := range f.Nodes {
		p, err := peer.Decode(k)
		if err != nil || s == nil || !s.valid() {
			continue
		}
		if s.Updated.After(e.now()) {
			s.Updated = e.now()
		}
		e.nodes[p] = s
	}
	return nil
}

// valid says whether every number is finite and not negative.
func (s *nodeStats) valid() bool {
	for _, x := range []float64{s.Weight, s.TTFB, s.TTFBVar, s.Bytes, s.Seconds, s.Fails, s.RTT, s.Late} {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 1e15 {
			return false
		}
	}
	return true
}

// seconds converts to a Duration, saturating at a million seconds (and at 0 below).
func seconds(s float64) time.Duration {
	if !(s > 0) {
		return 0
	}
	return time.Duration(min(s, 1e6) * float64(time.Second))
}
