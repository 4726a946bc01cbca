package retrieval

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/wire"
)

// PayConfig configures how a client pays for reads (see docs/economics.md).
type PayConfig struct {
	// Signer signs receipts with the client's chain account (chain.TicketSigner). Required.
	Signer TicketSigner
	// Verifier recovers the account that signed a node's offer (chain.TicketVerifier). Required.
	Verifier interface {
		Signer(msg, sig []byte) ([20]byte, error)
	}
	// ChainID and Escrow name the RetrievalEscrow the client deposited into; offers for another
	// escrow are refused.
	ChainID uint64
	Escrow  [20]byte
	// MaxPrice is the most the client pays a byte, in wei: nodes asking more are not read from,
	// and a fast tier above it is not paid for. 0 reads only from free nodes.
	MaxPrice uint64
	// Ledger records what the client signed for (nil: kept in memory only).
	Ledger *Ledger
}

// Payments pays the nodes a client reads from with cumulative receipts, one session per node and
// client run: it implements wire.Payer.
type Payments struct {
	cfg  PayConfig
	est  *Estimator
	wire *wire.Client

	mu       sync.Mutex
	sessions map[peer.ID]*paySession
}

var _ wire.Payer = (*Payments)(nil)

// paySession is a read session with one node.
type paySession struct {
	ready     chan struct{} // closed once the offer is known
	offer     wire.Offer
	free      bool
	err       error // the node is not read from
	id        [32]byte
	bytes     uint64   // received
	amount    *big.Int // owed for them
	price     uint64   // highest price a byte counted
	ttfb      time.Duration
	n         int64  // answers, for the mean time to first byte
	signed    uint64 // bytes of the latest receipt
	last      []byte // the latest receipt signed, encoded
	lastBytes uint64
}

func newPayments(cfg PayConfig, est *Estimator) (*Payments, error) {
	if cfg.Signer == nil || cfg.Verifier == nil {
		return nil, errors.New("retrieval: config: Pay needs a Signer and a Verifier")
	}
	if cfg.Ledger == nil {
		cfg.Ledger, _ = OpenLedger("")
	}
	return &Payments{cfg: cfg, est: est, sessions: map[peer.ID]*paySession{}}, nil
}

// Ledger is the record of what the client signed for.
func (p *Payments) Ledger() *Ledger { return p.cfg.Ledger }

// session returns p's session, asking the node for its offer the first time.
func (p *Payments) session(ctx context.Context, node peer.ID) (*paySession, error) {
	p.mu.Lock()
	s, ok := p.sessions[node]
	if !ok {
		s = &paySession{ready: make(chan struct{}), amount: new(big.Int)}
		if _, err := rand.Read(s.id[:]); err != nil {
			p.mu.Unlock()
			return nil, err
		}
		p.sessions[node] = s
	}
	p.mu.Unlock()
	if !ok {
		// Asked once for every fetch waiting on it: not cut short by the one fetch that asks.
		octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), offerTimeout)
		var transient bool
		s.offer, s.free, transient, s.err = p.learnOffer(octx, node)
		cancel()
		if transient { // ask again at the next read
			p.mu.Lock()
			delete(p.sessions, node)
			p.mu.Unlock()
		}
		if s.err == nil && p.est != nil {
			p.est.SetPriceFactor(node, float64(s.offer.Price)/float64(max(p.cfg.MaxPrice, 1)))
		}
		close(s.ready)
	}
	select {
	case <-s.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

// offerTimeout bounds the wait for a node's offer.
const offerTimeout = 10 * time.Second

// learnOffer asks a node for its offer and checks it. A node that has none serves free; transient
// is set when the node could not be asked.
func (p *Payments) learnOffer(ctx context.Context, node peer.ID) (o wire.Offer, free, transient bool, err error) {
	o, free, err = p.checkOffer(ctx, node)
	if err != nil && !errors.Is(err, ErrOffer) && !errors.Is(err, ErrTooExpensive) {
		return o, false, true, err
	}
	return o, free, false, err
}

func (p *Payments) checkOffer(ctx context.Context, node peer.ID) (wire.Offer, bool, error) {
	o, err := p.wire.GetOffer(ctx, node)
	switch {
	case errors.Is(err, wire.ErrNoOffer):
		return o, true, nil // the node's reads are free
	case errors.Is(err, wire.ErrProtocol) || errors.Is(err, wire.ErrTooLarge):
		return o, false, fmt.Errorf("%w: node %s: its retrieval offer: %v", ErrOffer, node, err)
	case err != nil:
		return o, false, fmt.Errorf("asking node %s for its retrieval offer: %w", node, err)
	}
	switch signer, serr := p.cfg.Verifier.Signer(o.SigningBytes(), o.Sig); {
	case serr != nil || signer != o.Payee:
		return o, false, fmt.Errorf("%w: node %s: its offer is not signed by its payee", ErrOffer, node)
	case o.Node != node:
		return o, false, fmt.Errorf("%w: node %s sent the offer of %s", ErrOffer, node, o.Node)
	case time.Now().After(o.ExpiresAt()):
		return o, false, fmt.Errorf("%w: node %s: its offer expired at %s", ErrOffer, node, o.ExpiresAt().UTC().Format(time.RFC3339))
	case o.Free():
		return o, true, nil
	case o.ChainID != p.cfg.ChainID || o.Escrow != p.cfg.Escrow:
		return o, false, fmt.Errorf("%w: node %s is paid through escrow %x on chain %d, not this client's", ErrOffer, node, o.Escrow, o.ChainID)
	case o.Price > p.cfg.MaxPrice:
		return o, false, fmt.Errorf("%w: node %s asks %d wei a byte, --max-price is %d", ErrTooExpensive, node, o.Price, p.cfg.MaxPrice)
	}
	if o.FastPrice > p.cfg.MaxPrice {
		o.FastPrice = 0 // the fast tier is above what the client pays
	}
	return o, false, nil
}

// Attach implements wire.Payer: the receipt for every byte received from the node so far, signed
// when there are bytes it does not cover yet.
func (p *Payments) Attach(ctx context.Context, node peer.ID, _ int64) ([]byte, error) {
	s, err := p.session(ctx, node)
	if err != nil || s.free {
		return nil, err
	}
	return p.sign(node, s, false)
}

// sign returns the session's receipt, signing a new one if bytes came in since the last (or
// always, with again).
func (p *Payments) sign(node peer.ID, s *paySession, again bool) ([]byte, error) {
	p.mu.Lock()
	if s.bytes == 0 || (s.bytes == s.signed && !again) {
		last := s.last // sent again: the read that carried it may still be on its way
		p.mu.Unlock()
		return last, nil
	}
	r := wire.Receipt{
		Client: p.cfg.Signer.Account(), Node: s.offer.Payee, Session: s.id, Bytes: s.bytes,
		Price: max(s.price, s.offer.Price), Amount: new(big.Int).Set(s.amount),
		TTFBMicros: uint32(min((s.ttfb / time.Duration(max(s.n, 1))).Microseconds(), 1<<32-1)),
	}
	s.signed = s.bytes
	p.mu.Unlock()
	d := r.Digest(s.offer.ChainID, s.offer.Escrow)
	sig, err := p.cfg.Signer.SignTicket(d[:])
	if err != nil {
		return nil, fmt.Errorf("signing a receipt for %s: %w", node, err)
	}
	r.Sig = sig
	p.cfg.Ledger.Record(r.Node, r.Session, r.Amount)
	b := wire.EncodeReceipt(r)
	p.mu.Lock()
	if r.Bytes >= s.lastBytes {
		s.last, s.lastBytes = b, r.Bytes
	}
	p.mu.Unlock()
	return b, nil
}

// Received implements wire.Payer: n more bytes came from the node, the first after ttfb.
func (p *Payments) Received(node peer.ID, n int64, ttfb time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.sessions[node]
	if !ok || s.free || s.err != nil || n <= 0 {
		return
	}
	free := s.offer.FreeBytes - min(s.offer.FreeBytes, s.bytes)
	charged := uint64(n) - min(uint64(n), free)
	price := s.offer.PriceFor(ttfb)
	s.amount.Add(s.amount, new(big.Int).Mul(new(big.Int).SetUint64(charged), new(big.Int).SetUint64(price)))
	s.price = max(s.price, price)
	s.bytes += uint64(n)
	s.ttfb += ttfb
	s.n++
}

// Settle sends every node the receipt for all it served (the end of a read; a receipt already
// sent is sent again, as the read that carried it may have been cancelled), and saves the ledger. A node that cannot be reached keeps what it has: at most a step.
func (p *Payments) Settle(ctx context.Context) error {
	p.mu.Lock()
	due := map[peer.ID]*paySession{}
	for node, s := range p.sessions {
		if !s.free && s.err == nil && s.bytes > 0 { // the latest again too: the read that carried it may have been cancelled
			due[node] = s
		}
	}
	p.mu.Unlock()
	var errs []error
	for node, s := range due {
		b, err := p.sign(node, s, false)
		if err == nil && len(b) > 0 {
			err = p.wire.SendReceipt(ctx, node, b)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("the last receipt to %s: %w", node, err))
		}
	}
	if err := p.cfg.Ledger.Save(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// SessionInfo is what the client received from one node in this run and owes it.
type SessionInfo struct {
	Bytes  uint64   `json:"bytes"`
	Amount *big.Int `json:"amount"` // wei
	Free   bool     `json:"free"`   // the node's reads are free
}

// Sessions is what the client received from each node it read from in this run, and owes it.
func (p *Payments) Sessions() map[peer.ID]SessionInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[peer.ID]SessionInfo{}
	for node, s := range p.sessions {
		if s.err == nil {
			out[node] = SessionInfo{Bytes: s.bytes, Amount: new(big.Int).Set(s.amount), Free: s.free}
		}
	}
	return out
}
