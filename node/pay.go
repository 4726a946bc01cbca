package node

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/wire"
)

// Pricing makes the node's reads paid (see docs/economics.md). The node publishes it as a signed
// wire.Offer (ProtoOffer); a read beyond FreeBytes costs Price wei a byte (FastPrice for the bytes
// of answers the client measured within FastTTFB); the node serves a client at most Step bytes
// beyond its latest signed receipt and refuses it with wire.ErrPaymentRequired after that.
type Pricing struct {
	Price     uint64        // wei per byte; 0 with FastPrice 0: reads are free
	FastPrice uint64        // wei per byte of fast answers; 0: no fast tier
	FastTTFB  time.Duration // what counts as fast
	FreeBytes uint64        // per client session
	// Step is how far the node serves ahead of a signed receipt: it answers a read while the
	// bytes no receipt covers are below Step. It must cover the reads a client has in flight at
	// once (a receipt rides on the next read, so it lags them). Default 16 MiB.
	Step uint64
	// Payee is the chain account receipts pay; ChainID and Escrow name the RetrievalEscrow.
	Payee   [20]byte
	ChainID uint64
	Escrow  [20]byte
	// Signer signs the offer as Payee (the chain package's TicketSigner).
	Signer interface {
		SignTicket(msg []byte) ([]byte, error)
	}
	// Accounts, if set, tells what a client has left in the escrow: the node refuses receipts
	// beyond it and clients whose withdrawal is announced. Nil trusts a receipt's signature.
	Accounts EscrowReader
	// OfferTTL is how long a signed offer is valid; default 1 hour (re-signed before it ends).
	OfferTTL time.Duration
}

// EscrowReader reads clients' accounts in the retrieval escrow.
type EscrowReader interface {
	// Available is what client has left for nodes to redeem, and whether it announced a withdrawal.
	Available(ctx context.Context, client [20]byte) (*big.Int, bool, error)
}

// DefaultStep is Pricing.Step's default.
const DefaultStep = 16 << 20

// Paid says whether reads cost anything.
func (p Pricing) Paid() bool { return p.Price > 0 || p.FastPrice > 0 }

func (p Pricing) withDefaults() Pricing {
	if p.Step == 0 {
		p.Step = DefaultStep
	}
	if p.OfferTTL == 0 {
		p.OfferTTL = time.Hour
	}
	return p
}

// paySession is what the node knows of one client peer's current session.
type paySession struct {
	served  uint64 // bytes admitted
	receipt *wire.Receipt
	client  [20]byte
	checked time.Time // when the client's escrow was last read
	avail   *big.Int
}

// payments meters reads and keeps the latest receipt of every session until it is redeemed.
type payments struct {
	cfg      Pricing
	self     peer.ID
	verifier TicketVerifier

	mu       sync.Mutex
	offer    wire.Offer
	sessions map[peer.ID]*paySession
	pending  map[[52]byte]wire.Receipt // client + session => latest receipt not yet redeemed
}

func newPayments(cfg Pricing, self peer.ID, v TicketVerifier) *payments {
	return &payments{cfg: cfg.withDefaults(), self: self, verifier: v, sessions: map[peer.ID]*paySession{}, pending: map[[52]byte]wire.Receipt{}}
}

// currentOffer returns the signed offer, signing a new one when the last is near its expiry.
func (p *payments) currentOffer() (wire.Offer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Until(p.offer.ExpiresAt()) > p.cfg.OfferTTL/4 {
		return p.offer, nil
	}
	o := wire.Offer{
		Node: p.self, Payee: p.cfg.Payee, ChainID: p.cfg.ChainID, Escrow: p.cfg.Escrow,
		Price: p.cfg.Price, FastPrice: p.cfg.FastPrice, FastTTFBMicros: uint32(min(p.cfg.FastTTFB.Microseconds(), 1<<32-1)),
		FreeBytes: p.cfg.FreeBytes, Step: p.cfg.Step, Expiry: time.Now().Add(p.cfg.OfferTTL).Unix(),
	}
	if p.cfg.Signer == nil {
		return wire.Offer{}, fmt.Errorf("%w: no key to sign the retrieval offer", wire.ErrInternal)
	}
	sig, err := p.cfg.Signer.SignTicket(o.SigningBytes())
	if err != nil {
		return wire.Offer{}, fmt.Errorf("%w: signing the retrieval offer: %v", wire.ErrInternal, err)
	}
	o.Sig = sig
	p.offer = o
	return o, nil
}

// admit takes the receipt the request carries (if any) and admits n more bytes to the peer, or
// refuses with wire.ErrPaymentRequired when it is already a step beyond its latest receipt.
func (p *payments) admit(ctx context.Context, from peer.ID, receipt []byte, n int64) error {
	if len(receipt) > 0 {
		if err := p.take(ctx, from, receipt); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.session(from)
	var paid uint64
	if s.receipt != nil {
		paid = s.receipt.Bytes
	}
	if s.served >= paid+p.cfg.Step {
		return fmt.Errorf("%w: %d bytes served, receipts for %d, at most %d served ahead", wire.ErrPaymentRequired, s.served, paid, p.cfg.Step)
	}
	s.served += uint64(n)
	return nil
}

func (p *payments) session(from peer.ID) *paySession {
	s, ok := p.sessions[from]
	if !ok {
		s = &paySession{}
		p.sessions[from] = s
	}
	return s
}

// take checks a receipt from a peer and keeps it as its session's latest.
func (p *payments) take(ctx context.Context, from peer.ID, b []byte) error {
	r, err := wire.DecodeReceipt(b)
	if err != nil {
		return err
	}
	if r.Node != p.cfg.Payee {
		return fmt.Errorf("%w: the receipt pays %x, not this node's %x", wire.ErrPaymentRequired, r.Node, p.cfg.Payee)
	}
	d := r.Digest(p.cfg.ChainID, p.cfg.Escrow)
	if p.verifier == nil {
		return fmt.Errorf("%w: the node cannot check receipts", wire.ErrInternal)
	}
	signer, err := p.verifier.Signer(d[:], r.Sig)
	if err != nil || signer != r.Client {
		return fmt.Errorf("%w: the receipt is not signed by its client", wire.ErrPaymentRequired)
	}
	p.mu.Lock()
	s := p.session(from)
	if s.receipt == nil || s.receipt.Session != r.Session {
		// A new session of this peer (the last one's receipt stays pending for redemption).
		served := s.served
		if s.receipt != nil {
			served = r.Bytes
		}
		*s = paySession{client: r.Client, served: max(served, r.Bytes)}
	}
	if r.Client != s.client {
		p.mu.Unlock()
		return fmt.Errorf("%w: the receipt's client changed within its session", wire.ErrPaymentRequired)
	}
	prevBytes, prevAmount := uint64(0), new(big.Int)
	if s.receipt != nil {
		prevBytes, prevAmount = s.receipt.Bytes, s.receipt.Amount
	}
	chargeable := r.Bytes - min(r.Bytes, p.cfg.FreeBytes)
	due := new(big.Int).Mul(new(big.Int).SetUint64(chargeable), new(big.Int).SetUint64(p.cfg.Price))
	needCheck := p.cfg.Accounts != nil && time.Since(s.checked) > 30*time.Second
	p.mu.Unlock()
	switch {
	case r.Bytes <= prevBytes && r.Amount.Cmp(prevAmount) <= 0:
		return nil // an older receipt, overtaken by one sent with a concurrent read
	case r.Bytes < prevBytes || r.Amount.Cmp(prevAmount) < 0:
		return fmt.Errorf("%w: the receipt counts fewer bytes or wei than the session's latest", wire.ErrPaymentRequired)
	case r.Amount.Cmp(due) < 0:
		return fmt.Errorf("%w: the receipt's %s wei are below the offer's %s for %d bytes", wire.ErrPaymentRequired, r.Amount, due, r.Bytes)
	case r.Price < p.cfg.Price || new(big.Int).Mul(new(big.Int).SetUint64(r.Bytes), new(big.Int).SetUint64(r.Price)).Cmp(r.Amount) < 0:
		return fmt.Errorf("%w: the receipt's price %d is not the offer's", wire.ErrPaymentRequired, r.Price)
	}
	var avail *big.Int
	if needCheck {
		left, unlocking, err := p.cfg.Accounts.Available(ctx, r.Client)
		if err != nil {
			return fmt.Errorf("%w: reading the client's escrow: %v", wire.ErrInternal, err)
		}
		if unlocking {
			return fmt.Errorf("%w: the client announced a withdrawal from the escrow", wire.ErrPaymentRequired)
		}
		avail = left
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if avail != nil {
		s.avail, s.checked = avail, time.Now()
	}
	if s.avail != nil && new(big.Int).Sub(r.Amount, prevAmount).Cmp(s.avail) > 0 {
		return fmt.Errorf("%w: the receipt is beyond what the client has in the escrow", wire.ErrPaymentRequired)
	}
	if s.avail != nil {
		s.avail = new(big.Int).Sub(s.avail, new(big.Int).Sub(r.Amount, prevAmount))
	}
	s.receipt = &r
	var key [52]byte
	copy(key[:20], r.Client[:])
	copy(key[20:], r.Session[:])
	p.pending[key] = r
	return nil
}

// takePending removes and returns up to max receipts to redeem.
func (p *payments) takePending(limit int) []wire.Receipt {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []wire.Receipt
	for k, r := range p.pending {
		if len(out) == limit {
			break
		}
		out = append(out, r)
		delete(p.pending, k)
	}
	return out
}

// putBack returns receipts whose redemption failed, unless a newer one of their session came in.
func (p *payments) putBack(rs []wire.Receipt) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range rs {
		var key [52]byte
		copy(key[:20], r.Client[:])
		copy(key[20:], r.Session[:])
		if cur, ok := p.pending[key]; !ok || cur.Amount.Cmp(r.Amount) < 0 {
			p.pending[key] = r
		}
	}
}

// offerHandler answers the node's signed offer.
func (n *Node) offerHandler(ctx context.Context, q wire.Request, _ io.Reader) (wire.Response, []byte, error) {
	o, err := n.pay.currentOffer()
	if err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{}, wire.EncodeOffer(o), nil
}

// receiptHandler takes a receipt sent on its own (the last of a read).
func (n *Node) receiptHandler(ctx context.Context, q wire.Request, payload io.Reader) (wire.Response, []byte, error) {
	b, err := readAll(payload, q.Size)
	if err != nil {
		return wire.Response{}, nil, err
	}
	return wire.Response{}, nil, n.pay.take(ctx, peerOf(ctx), b)
}

// admitRead meters a read of n bytes: with paid reads, it takes the receipt the request carries
// and refuses a client more than a step behind in signing.
func (n *Node) admitRead(ctx context.Context, q wire.Request, payload io.Reader, size int64) error {
	if n.pay == nil {
		return nil
	}
	var receipt []byte
	if q.Size > 0 {
		b, err := readAll(payload, q.Size)
		if err != nil {
			return err
		}
		receipt = b
	}
	return n.pay.admit(ctx, peerOf(ctx), receipt, size)
}

// PendingReceipts removes and returns up to limit receipts, the latest of each session, for the
// caller to redeem; ReturnReceipts gives back those it could not.
func (n *Node) PendingReceipts(limit int) []wire.Receipt {
	if n.pay == nil {
		return nil
	}
	return n.pay.takePending(limit)
}

// ReturnReceipts gives back receipts PendingReceipts returned that could not be redeemed.
func (n *Node) ReturnReceipts(rs []wire.Receipt) {
	if n.pay != nil {
		n.pay.putBack(rs)
	}
}
