package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/boxo/blockservice"
	boxogw "github.com/ipfs/boxo/gateway"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config configures a Server. Zero values mean the documented defaults.
type Config struct {
	// Source is what blocks are read through (a *retrieval.Client). Required.
	Source Source
	// Listen is the TCP address Run serves on. Default 127.0.0.1:8080.
	Listen string
	// Cache keeps verified blocks. Default: a MemoryCache of 256 MiB.
	Cache Cache
	// MaxConcurrentRequests bounds the requests served at once; the next ones get 429 with
	// Retry-After. Default 256.
	MaxConcurrentRequests int
	// RetrievalTimeout bounds the wait for a response's first byte and between two writes (504,
	// or a truncated response once the headers are out). Default 30s.
	RetrievalTimeout time.Duration
	// LookupTimeout bounds the search for the upload holding a CID the gateway has not seen
	// (404 after it). Default 10s.
	LookupTimeout time.Duration
	// Registry receives the gateway's Prometheus metrics and boxo's, served on /metrics.
	// Default: a registry of the server's own.
	Registry *prometheus.Registry
	// Logger receives access logs (one Info line per request) and errors; nil means silent.
	Logger *slog.Logger
	// Handlers are served beside the gateway, by pattern of http.ServeMux (the dashboard at
	// "/dashboard" and "/dashboard/").
	Handlers map[string]http.Handler
}

// Validate reports what is wrong with the configuration.
func (c Config) Validate() error {
	switch {
	case c.Source == nil:
		return errors.New("gateway: config: Source is required")
	case c.MaxConcurrentRequests < 0 || c.RetrievalTimeout < 0 || c.LookupTimeout < 0:
		return errors.New("gateway: config: MaxConcurrentRequests, RetrievalTimeout and LookupTimeout must not be negative")
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.Cache == nil {
		c.Cache = NewMemoryCache(256 << 20)
	}
	if c.MaxConcurrentRequests == 0 {
		c.MaxConcurrentRequests = 256
	}
	if c.RetrievalTimeout == 0 {
		c.RetrievalTimeout = 30 * time.Second
	}
	if c.Registry == nil {
		c.Registry = prometheus.NewRegistry()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Server is the HTTP gateway: boxo's gateway handler (trustless and path gateway, subdomains on
// localhost) over a Blockstore that reads through the retrieval client.
type Server struct {
	cfg     Config
	blocks  *Blockstore
	fast    *fastPath
	metrics *metrics
	handler http.Handler
	log     *slog.Logger

	mu   sync.Mutex
	ln   net.Listener
	srv  *http.Server
	done bool
}

// New builds a server; it starts nothing.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m := newMetrics(cfg.Registry)
	bs := NewBlockstore(cfg.Source, cfg.Cache, cfg.LookupTimeout, cfg.Logger)
	bs.metrics = m
	backend, err := boxogw.NewBlocksBackend(blockservice.New(bs, nil))
	if err != nil {
		return nil, fmt.Errorf("gateway backend: %w", err)
	}
	gwcfg := boxogw.Config{
		DeserializedResponses: true,
		NoDNSLink:             true,
		RetrievalTimeout:      cfg.RetrievalTimeout,
		MaxConcurrentRequests: cfg.MaxConcurrentRequests,
		MetricsRegistry:       cfg.Registry,
		PublicGateways: map[string]*boxogw.PublicGateway{
			"localhost": {Paths: []string{"/ipfs"}, UseSubdomains: true, DeserializedResponses: true},
		},
	}
	ipfs := boxogw.NewHandler(gwcfg, backend)
	mux := http.NewServeMux()
	mux.Handle("/ipfs/", ipfs)
	mux.Handle("/metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	mux.Handle("/", ipfs)
	for pattern, h := range cfg.Handlers {
		mux.Handle(pattern, h)
	}
	s := &Server{cfg: cfg, blocks: bs, metrics: m, log: cfg.Logger,
		fast: newFastPath(bs, backend, cfg.MaxConcurrentRequests, cfg.RetrievalTimeout)}
	s.handler = s.observe(boxogw.NewHostnameHandler(gwcfg, backend, mux))
	return s, nil
}

// Handler is the gateway's HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Blockstore is the block store the gateway reads through.
func (s *Server) Blockstore() *Blockstore { return s.blocks }

// Listen opens the listening socket (so that Addr is known before Run).
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	s.ln = ln
	return nil
}

// Addr is the address the server listens on, once Listen or Run has opened it.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Run serves until ctx ends or Close is called.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return nil
	}
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	srv, ln := s.srv, s.ln
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("gateway: %w", err)
	}
	return nil
}

// Close stops the server; requests in flight get 2 s to finish. It is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	s.done = true
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			return s.srv.Close()
		}
		return nil
	}
	if s.ln != nil {
		return s.ln.Close()
	}
	return nil
}

// observe logs every request, measures its time to first byte, keeps `Cache-Control:
// only-if-cached` requests off the network, and answers what it can by the fast path, learning
// from boxo's answers what it can answer.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if strings.Contains(r.Header.Get("Cache-Control"), "only-if-cached") {
			r = r.WithContext(Offline(r.Context()))
		}
		rw := &recorder{ResponseWriter: w, start: start}
		key, fast := s.fast.key(r)
		if !fast || !s.fast.serve(rw, r, key) {
			rw.keep = fast && r.Method == http.MethodGet && r.Header.Get("Range") == ""
			next.ServeHTTP(rw, r)
			if rw.kept != nil && rw.status == http.StatusOK {
				s.fast.record(key, rw.kept)
			}
		}
		if rw.status == 0 {
			rw.status = http.StatusOK
		}
		if !rw.first.IsZero() {
			s.metrics.ttfb.WithLabelValues(statusClass(rw.status)).Observe(rw.first.Sub(start).Seconds())
		}
		if s.log.Enabled(r.Context(), slog.LevelInfo) {
			s.log.Info("request", "method", r.Method, "host", r.Host, "path", r.URL.RequestURI(), "status", rw.status,
				"bytes", rw.bytes, "ttfb", rw.ttfb(), "duration", time.Since(start), "remote", r.RemoteAddr)
		}
	})
}

var statusClasses = [...]string{"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"}

// statusClass is the label of a status's class: "2xx" for 200.
func statusClass(status int) string {
	if c := status / 100; c >= 0 && c < len(statusClasses) {
		return statusClasses[c]
	}
	return fmt.Sprintf("%dxx", status/100)
}

// recorder notes a response's status, size and the time of its first byte.
type recorder struct {
	http.ResponseWriter
	start  time.Time
	first  time.Time
	status int
	bytes  int64

	keep bool        // keep the headers of a 200 answer in kept
	kept http.Header // less Date, Content-Length and Content-Range
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.keepHeader()
	}
	if w.first.IsZero() {
		w.first = time.Now()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.first.IsZero() {
		w.first = time.Now()
	}
	if w.status == 0 {
		w.status = http.StatusOK
		w.keepHeader()
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *recorder) keepHeader() {
	if !w.keep || w.status != http.StatusOK {
		return
	}
	w.kept = w.ResponseWriter.Header().Clone()
	for _, name := range []string{"Date", "Content-Length", "Content-Range"} {
		delete(w.kept, name)
	}
}

func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) ttfb() time.Duration {
	if w.first.IsZero() {
		return 0
	}
	return w.first.Sub(w.start)
}
