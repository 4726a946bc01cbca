// Package dashboard is the web dashboard the gateway and `dstore devnet` serve at /dashboard: the
// network's nodes with their measured round trip and health, every file with the health of its
// shards, and, with a chain, each file's storage requests with their proofs, misses, slashes and
// payments, sampled over time. The page is plain HTML and JavaScript embedded in the binary; it
// polls /dashboard/state (JSON), which Run keeps up to date.
package dashboard

import (
	"bufio"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
)

//go:embed static
var static embed.FS

// FilesName is the put history in a client's HOME, one JSON File per line.
const FilesName = "files.jsonl"

// File is one file put from a HOME.
type File struct {
	Root string    `json:"root"`
	Name string    `json:"name"`
	Size int64     `json:"size"`
	Time time.Time `json:"time"`
}

// Record appends f to HOME's put history (HOME/files.jsonl).
func Record(home string, f File) error {
	if home == "" {
		return nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	w, err := os.OpenFile(filepath.Join(home, FilesName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// maxFiles bounds the files a dashboard shows (the newest).
const maxFiles = 200

// History reads HOME's put history, newest first, one entry per root; a missing file is none.
func History(home string) ([]File, error) {
	r, err := os.Open(filepath.Join(home, FilesName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer r.Close()
	seen := map[string]int{}
	var out []File
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var f File
		if json.Unmarshal(sc.Bytes(), &f) != nil {
			continue // a torn line
		}
		if _, err := cid.Decode(f.Root); err != nil {
			continue
		}
		if i, ok := seen[f.Root]; ok {
			out[i] = f
			continue
		}
		seen[f.Root] = len(out)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out[:min(len(out), maxFiles)], sc.Err()
}

// Config configures a Dashboard. Zero values mean the documented defaults.
type Config struct {
	// Client measures the nodes and asks them for the shards of each file. Required.
	Client *retrieval.Client
	// Nodes lists the network's nodes. Required.
	Nodes func() ([]peer.AddrInfo, error)
	// Home is the client HOME whose put history (Record) lists files; with Market, every root
	// with a storage request on chain is listed too.
	Home string
	// Market, with FromBlock (the marketplace's deployment block), reads each file's storage
	// requests on chain; nil shows no chain.
	Market    retrieval.StatusMarket
	FromBlock uint64
	// Poll is how often the state is refreshed while the dashboard is watched (its page or
	// state read in the last minute); default 2s.
	Poll time.Duration
	// IdlePoll is how often it is refreshed while nobody watches; default 1 minute. Each refresh
	// pings every node and asks every holder of every file, work a gateway need not do every
	// Poll for a page no one has open.
	IdlePoll time.Duration
	// Logger receives the dashboard's errors; nil is silent.
	Logger *slog.Logger
}

// Validate reports what is wrong with c.
func (c Config) Validate() error {
	if c.Client == nil || c.Nodes == nil {
		return errors.New("dashboard: config: Client and Nodes are required")
	}
	if c.Poll < 0 || c.IdlePoll < 0 {
		return errors.New("dashboard: config: negative Poll or IdlePoll")
	}
	return nil
}

// NodeState is one node as the dashboard last saw it.
type NodeState struct {
	Peer    string   `json:"peer"`
	Addrs   []string `json:"addrs"`
	Up      bool     `json:"up"`
	RTTms   float64  `json:"rtt_ms"` // round trip of a libp2p ping
	Error   string   `json:"error,omitempty"`
	Shards  int      `json:"shards"` // shards of the files shown that it holds
	SeenAgo float64  `json:"seen_ago_s"`
}

// ShardState is one holder of one shard of a file.
type ShardState struct {
	Shard    int    `json:"shard"`
	Peer     string `json:"peer"`
	Online   bool   `json:"online"`
	Segments int    `json:"segments"` // the node holds this many of the file's segments
	Error    string `json:"error,omitempty"`
}

// RequestState is one storage request of a file on chain, summed over its slots.
type RequestState struct {
	ID       string `json:"id"`
	Slots    int    `json:"slots"`
	Filled   int    `json:"filled"`
	Proofs   uint64 `json:"proofs"`
	Misses   uint64 `json:"misses"`
	Paid     string `json:"paid_wei"`
	Slashed  string `json:"slashed_wei"`
	Finished bool   `json:"finished"`
}

// FileState is one file and the health of its shards.
type FileState struct {
	File
	Data     int            `json:"k"`
	Parity   int            `json:"m"`
	Segments int            `json:"segments"`
	Healthy  int            `json:"healthy_shards"` // shards with a holder online holding every segment
	Readable bool           `json:"readable"`       // at least k healthy shards
	Shards   []ShardState   `json:"shards"`
	Requests []RequestState `json:"requests,omitempty"`
	Error    string         `json:"error,omitempty"`
}

// Sample is the chain's totals over every file shown, at one time.
type Sample struct {
	Time    time.Time `json:"t"`
	Proofs  uint64    `json:"proofs"`
	Misses  uint64    `json:"misses"`
	PaidETH float64   `json:"paid_eth"`
	Slashed float64   `json:"slashed_eth"`
	NodesUp int       `json:"nodes_up"`
}

// State is what /dashboard/state answers.
type State struct {
	Updated time.Time   `json:"updated"`
	Chain   bool        `json:"chain"`
	Nodes   []NodeState `json:"nodes"`
	Files   []FileState `json:"files"`
	History []Sample    `json:"history"`
}

// maxSamples is the history kept: an hour at the default poll.
const maxSamples = 1800

// Dashboard keeps the state of the network and serves it.
type Dashboard struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	state    State
	lastSeen map[string]time.Time

	viewed atomic.Int64 // when the page or the state was last read, Unix nanoseconds

	refresh sync.Mutex // one Refresh at a time
	// The roots of every storage request on chain, read incrementally (under refresh).
	chainRoots []File
	chainNext  uint64 // next block to read
}

// New checks cfg; nothing runs until Run.
func New(cfg Config) (*Dashboard, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Poll == 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.IdlePoll == 0 {
		cfg.IdlePoll = time.Minute
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dashboard{cfg: cfg, log: log.With("subsystem", "dashboard"), lastSeen: map[string]time.Time{}}, nil
}

// watchedFor is how long a read of the page or the state counts as someone watching.
const watchedFor = time.Minute

// Run refreshes the state until ctx is done: every Poll while the dashboard is watched, every
// IdlePoll otherwise.
func (d *Dashboard) Run(ctx context.Context) error {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	var last time.Time
	for {
		watched := time.Since(time.Unix(0, d.viewed.Load())) < watchedFor
		if watched || time.Since(last) >= d.cfg.IdlePoll {
			last = time.Now()
			if err := d.Refresh(ctx); err != nil && ctx.Err() == nil {
				d.log.Warn("refreshing the dashboard", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Refresh measures the nodes, asks for every file's shards and reads the chain once.
func (d *Dashboard) Refresh(ctx context.Context) error {
	d.refresh.Lock()
	defer d.refresh.Unlock()
	ctx, cancel := context.WithTimeout(ctx, max(d.cfg.Poll, 5*time.Second))
	defer cancel()
	infos, err := d.cfg.Nodes()
	if err != nil {
		return err
	}
	nodes := make([]NodeState, len(infos))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for i, ai := range infos {
		nodes[i] = NodeState{Peer: ai.ID.String()}
		for _, a := range ai.Addrs {
			nodes[i].Addrs = append(nodes[i].Addrs, a.String())
		}
		g.Go(func() error {
			pctx, cancel := context.WithTimeout(gctx, 2*time.Second)
			defer cancel()
			rtt, err := d.cfg.Client.Ping(pctx, ai)
			if err != nil {
				nodes[i].Error = err.Error()
				return nil
			}
			nodes[i].Up, nodes[i].RTTms = true, float64(rtt.Microseconds())/1000
			return nil
		})
	}
	_ = g.Wait()
	var files []File
	if d.cfg.Home != "" {
		if files, err = History(d.cfg.Home); err != nil {
			d.log.Warn("reading the put history", "err", err)
		}
	}
	if d.cfg.Market != nil {
		files = append(files, d.onChain(ctx, files)...)
	}
	states := make([]FileState, len(files))
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, f := range files {
		g.Go(func() error {
			states[i] = d.file(gctx, f)
			return nil
		})
	}
	_ = g.Wait()

	now := time.Now()
	sample := Sample{Time: now}
	held := map[string]int{}
	for _, f := range states {
		for _, s := range f.Shards {
			if s.Online {
				held[s.Peer]++
			}
		}
		for _, r := range f.Requests {
			sample.Proofs += r.Proofs
			sample.Misses += r.Misses
			sample.PaidETH += eth(r.Paid)
			sample.Slashed += eth(r.Slashed)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range nodes {
		n := &nodes[i]
		if n.Up {
			d.lastSeen[n.Peer] = now
			sample.NodesUp++
		}
		if t, ok := d.lastSeen[n.Peer]; ok {
			n.SeenAgo = now.Sub(t).Seconds()
		}
		n.Shards = held[n.Peer]
	}
	d.state.Updated, d.state.Chain, d.state.Nodes, d.state.Files = now, d.cfg.Market != nil, nodes, states
	d.state.History = append(d.state.History, sample)
	if len(d.state.History) > maxSamples {
		d.state.History = d.state.History[len(d.state.History)-maxSamples:]
	}
	return nil
}

// onChain returns the roots of the storage requests on chain that are not among files: with a
// chain the dashboard shows every file with a deal, not only those put from HOME. Only the
// blocks since the last call are read.
func (d *Dashboard) onChain(ctx context.Context, files []File) []File {
	head, err := d.cfg.Market.BlockNumber(ctx)
	if err != nil {
		d.log.Warn("reading the chain's head", "err", err)
	} else if from := max(d.chainNext, d.cfg.FromBlock); from <= head {
		evs, err := d.cfg.Market.Events(ctx, from, head)
		if err != nil {
			d.log.Warn("reading the chain's requests", "err", err)
		} else {
			for _, ev := range evs {
				rc, ok := ev.Data.(*chain.RequestCreated)
				if !ok {
					continue
				}
				root, err := cid.Cast(rc.RootCid)
				if err != nil {
					continue // not a CID: nothing to show
				}
				if !slices.ContainsFunc(d.chainRoots, func(f File) bool { return f.Root == root.String() }) {
					d.chainRoots = append(d.chainRoots, File{Root: root.String()})
				}
			}
			d.chainNext = head + 1
		}
	}
	var out []File
	for _, f := range d.chainRoots {
		if !slices.ContainsFunc(files, func(g File) bool { return g.Root == f.Root }) {
			out = append(out, f)
		}
	}
	return out
}

func eth(wei string) float64 {
	v, ok := new(big.Float).SetString(wei)
	if !ok {
		return 0
	}
	f, _ := new(big.Float).Quo(v, big.NewFloat(1e18)).Float64()
	return f
}

// file reads the shards of one file and its requests on chain.
func (d *Dashboard) file(ctx context.Context, f File) FileState {
	st := FileState{File: f}
	root, err := cid.Decode(f.Root)
	if err != nil {
		st.Error = err.Error()
		return st
	}
	// The chain is asked at the same time as the nodes: a dead node's dial must not use up the
	// refresh's time before the deals are read.
	type dealsResult struct {
		deals []retrieval.DealStatus
		err   error
	}
	dealsc := make(chan dealsResult, 1)
	if d.cfg.Market != nil {
		go func() {
			ds, err := retrieval.DealStatuses(ctx, d.cfg.Market, d.cfg.FromBlock, root)
			dealsc <- dealsResult{ds, err}
		}()
	}
	m, replicas, err := d.cfg.Client.Status(ctx, root)
	if err != nil {
		st.Error = err.Error()
		return st
	}
	st.Data, st.Parity, st.Segments = m.K, m.M, len(m.Segments)
	healthy := map[int]bool{}
	for _, r := range replicas {
		st.Shards = append(st.Shards, ShardState{Shard: r.Shard, Peer: r.Peer, Online: r.Online, Segments: r.Segments, Error: r.Error})
		if r.Online && r.Segments == len(m.Segments) {
			healthy[r.Shard] = true
		}
	}
	st.Healthy = len(healthy)
	st.Readable = st.Healthy >= m.K
	if d.cfg.Market == nil {
		return st
	}
	dr := <-dealsc
	deals, err := dr.deals, dr.err
	if err != nil {
		st.Error = fmt.Sprintf("chain: %v", err)
		return st
	}
	for _, ds := range deals {
		rs := RequestState{ID: ds.Request.ID.String(), Slots: len(ds.Slots), Finished: ds.Request.Finished}
		paid, slashed := new(big.Int), new(big.Int)
		for _, s := range ds.Slots {
			if s.Provider != ([20]byte{}) || s.Proven > 0 {
				rs.Filled++
			}
			rs.Proofs += uint64(s.Proven)
			rs.Misses += uint64(s.Missed)
			if s.Paid != nil {
				paid.Add(paid, s.Paid)
			}
			if s.Collateral != nil && ds.Request.Collateral != nil && s.FilledPeriod > 0 && s.Collateral.Cmp(ds.Request.Collateral) < 0 {
				slashed.Add(slashed, new(big.Int).Sub(ds.Request.Collateral, s.Collateral))
			}
		}
		rs.Paid, rs.Slashed = paid.String(), slashed.String()
		st.Requests = append(st.Requests, rs)
	}
	return st
}

// State returns the last state.
func (d *Dashboard) State() State {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.state
	s.History = append([]Sample(nil), d.state.History...)
	return s
}

// ServeHTTP serves the page at /dashboard (and /dashboard/) and the state at /dashboard/state.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "only GET", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/dashboard", "/dashboard/":
		d.viewed.Store(time.Now().UnixNano())
		b, _ := static.ReadFile("static/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(b)
	case "/dashboard/state":
		d.viewed.Store(time.Now().UnixNano())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(d.State())
	default:
		http.NotFound(w, r)
	}
}
