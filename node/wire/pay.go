package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/crypto/sha3"
)

// The retrieval market's protocols: a node's signed offer, and a receipt sent on its own (the
// last one of a read; the others ride on the next ProtoGetPiece request as its payload).
const (
	ProtoOffer   = "/dstore/offer/1.0.0"
	ProtoReceipt = "/dstore/receipt/1.0.0"
)

// Bounds of the messages in this file.
const (
	MaxOfferSize   = 512
	MaxReceiptSize = 256
	sigSize        = 65
	maxAmountBytes = 32 // a uint256
	offerDomain    = "dstore retrieval offer v1\n"
	offerVersion   = 1
	receiptVersion = 1
)

// Offer is a storage node's retrieval price list, signed by the chain account Payee that its
// receipts pay. A read of more than FreeBytes from the node costs Price wei a byte (FastPrice
// for the bytes of answers whose time to first byte the client measured at most FastTTFBMicros);
// the node serves at most Step bytes beyond the client's latest signed receipt. An offer with
// Price 0 is free: no receipts, today's behaviour for storage-only networks.
type Offer struct {
	Node           peer.ID
	Payee          [20]byte
	ChainID        uint64
	Escrow         [20]byte // the RetrievalEscrow contract receipts are redeemed at
	Price          uint64   // wei per byte
	FastPrice      uint64   // wei per byte of fast answers; 0: no fast tier
	FastTTFBMicros uint32
	FreeBytes      uint64 // per client
	Step           uint64 // bytes served ahead of a signed receipt
	Expiry         int64  // Unix seconds
	Sig            []byte // EIP-191 signature of SigningBytes by Payee
}

// Free says whether reads from the node cost nothing.
func (o Offer) Free() bool { return o.Price == 0 && o.FastPrice == 0 }

// ExpiresAt returns the expiry as a time.
func (o Offer) ExpiresAt() time.Time { return time.Unix(o.Expiry, 0) }

// PriceFor is the price a byte of an answer that came after ttfb.
func (o Offer) PriceFor(ttfb time.Duration) uint64 {
	if o.FastPrice > o.Price && ttfb <= time.Duration(o.FastTTFBMicros)*time.Microsecond {
		return o.FastPrice
	}
	return o.Price
}

// SigningBytes is what the payee signs: a domain string and every field but the signature.
func (o Offer) SigningBytes() []byte { return o.appendBody([]byte(offerDomain)) }

func (o Offer) appendBody(b []byte) []byte {
	b = append(b, offerVersion)
	b = appendField(b, []byte(o.Node))
	b = append(b, o.Payee[:]...)
	b = binary.AppendUvarint(b, o.ChainID)
	b = append(b, o.Escrow[:]...)
	b = binary.AppendUvarint(b, o.Price)
	b = binary.AppendUvarint(b, o.FastPrice)
	b = binary.AppendUvarint(b, uint64(o.FastTTFBMicros))
	b = binary.AppendUvarint(b, o.FreeBytes)
	b = binary.AppendUvarint(b, o.Step)
	return binary.AppendUvarint(b, uint64(o.Expiry))
}

// EncodeOffer returns the wire form of o.
func EncodeOffer(o Offer) []byte { return appendField(o.appendBody(nil), o.Sig) }

// DecodeOffer parses an offer, checking every field against its bound; it does not check the
// signature.
func DecodeOffer(b []byte) (Offer, error) {
	var o Offer
	if len(b) > MaxOfferSize {
		return o, fmt.Errorf("%w: offer of %d bytes, at most %d", ErrTooLarge, len(b), MaxOfferSize)
	}
	r := bytes.NewReader(b)
	v, err := r.ReadByte()
	if err != nil || v != offerVersion {
		return o, fmt.Errorf("%w: offer version %d, want %d", ErrProtocol, v, offerVersion)
	}
	if o.Node, err = readPeer(r, "node"); err != nil {
		return o, err
	}
	if _, err := io.ReadFull(r, o.Payee[:]); err != nil {
		return o, fmt.Errorf("%w: reading the payee: %v", ErrProtocol, err)
	}
	if o.ChainID, err = readUvarintFrom(r, 1<<63, "chain id"); err != nil {
		return o, err
	}
	if _, err := io.ReadFull(r, o.Escrow[:]); err != nil {
		return o, fmt.Errorf("%w: reading the escrow: %v", ErrProtocol, err)
	}
	if o.Price, err = readUvarintFrom(r, 1<<63, "price"); err != nil {
		return o, err
	}
	if o.FastPrice, err = readUvarintFrom(r, 1<<63, "fast price"); err != nil {
		return o, err
	}
	fast, err := readUvarintFrom(r, 1<<32-1, "fast time to first byte")
	if err != nil {
		return o, err
	}
	o.FastTTFBMicros = uint32(fast)
	if o.FreeBytes, err = readUvarintFrom(r, 1<<50, "free bytes"); err != nil {
		return o, err
	}
	if o.Step, err = readUvarintFrom(r, 1<<40, "step"); err != nil {
		return o, err
	}
	exp, err := readUvarintFrom(r, 1<<62, "expiry")
	if err != nil {
		return o, err
	}
	o.Expiry = int64(exp)
	if o.Sig, err = readField(r, sigSize, "signature"); err != nil {
		return o, err
	}
	if len(o.Sig) != sigSize {
		return o, fmt.Errorf("%w: signature of %d bytes, want %d", ErrProtocol, len(o.Sig), sigSize)
	}
	if r.Len() != 0 {
		return o, fmt.Errorf("%w: %d bytes after the offer", ErrProtocol, r.Len())
	}
	if !bytes.Equal(EncodeOffer(o), b) {
		return o, fmt.Errorf("%w: the offer is not in canonical form", ErrProtocol)
	}
	return o, nil
}

// Receipt is a client's signed acknowledgment that it owes the node's payee Amount wei in total
// for the Bytes it received in Session (cumulative: each receipt replaces the one before).
// Price is the highest price a byte the amount was counted at (the escrow pays at most Bytes
// times Price); TTFBMicros is the client's measured mean time to first byte of the session's
// answers. Client signs Digest as an EIP-191 personal message; the RetrievalEscrow contract
// computes the same digest.
type Receipt struct {
	Client     [20]byte
	Node       [20]byte // the payee
	Session    [32]byte
	Bytes      uint64
	Price      uint64
	Amount     *big.Int
	TTFBMicros uint32
	Sig        []byte
}

// receiptDomain is keccak256("dstore retrieval receipt v1"), the contract's RECEIPT_DOMAIN.
var receiptDomain = keccak([]byte("dstore retrieval receipt v1"))

// Digest is the 32 bytes the client signs: keccak256(abi.encode(RECEIPT_DOMAIN, chainID, escrow,
// client, node, session, bytes, price, amount, ttfbMicros)), exactly as the contract computes it.
func (r Receipt) Digest(chainID uint64, escrow [20]byte) [32]byte {
	b := make([]byte, 0, 10*32)
	b = append(b, receiptDomain[:]...)
	b = word(b, new(big.Int).SetUint64(chainID).Bytes())
	b = word(b, escrow[:])
	b = word(b, r.Client[:])
	b = word(b, r.Node[:])
	b = append(b, r.Session[:]...)
	b = word(b, new(big.Int).SetUint64(r.Bytes).Bytes())
	b = word(b, new(big.Int).SetUint64(r.Price).Bytes())
	b = word(b, amountOrZero(r.Amount).Bytes())
	b = word(b, new(big.Int).SetUint64(uint64(r.TTFBMicros)).Bytes())
	return keccak(b)
}

// word appends v left-padded to 32 bytes (v is at most 32 bytes).
func word(b, v []byte) []byte {
	var w [32]byte
	copy(w[32-len(v):], v)
	return append(b, w[:]...)
}

func keccak(b []byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

func amountOrZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// EncodeReceipt returns the wire form of r.
func EncodeReceipt(r Receipt) []byte {
	b := []byte{receiptVersion}
	b = append(b, r.Client[:]...)
	b = append(b, r.Node[:]...)
	b = append(b, r.Session[:]...)
	b = binary.AppendUvarint(b, r.Bytes)
	b = binary.AppendUvarint(b, r.Price)
	b = appendField(b, amountOrZero(r.Amount).Bytes())
	b = binary.AppendUvarint(b, uint64(r.TTFBMicros))
	return appendField(b, r.Sig)
}

// DecodeReceipt parses a receipt, checking every field against its bound; it does not check the
// signature.
func DecodeReceipt(b []byte) (Receipt, error) {
	var q Receipt
	if len(b) > MaxReceiptSize {
		return q, fmt.Errorf("%w: receipt of %d bytes, at most %d", ErrTooLarge, len(b), MaxReceiptSize)
	}
	r := bytes.NewReader(b)
	v, err := r.ReadByte()
	if err != nil || v != receiptVersion {
		return q, fmt.Errorf("%w: receipt version %d, want %d", ErrProtocol, v, receiptVersion)
	}
	for _, f := range []struct {
		dst  []byte
		what string
	}{{q.Client[:], "client"}, {q.Node[:], "node"}, {q.Session[:], "session"}} {
		if _, err := io.ReadFull(r, f.dst); err != nil {
			return q, fmt.Errorf("%w: reading the %s: %v", ErrProtocol, f.what, err)
		}
	}
	if q.Bytes, err = readUvarintFrom(r, 1<<62, "bytes"); err != nil {
		return q, err
	}
	if q.Price, err = readUvarintFrom(r, 1<<63, "price"); err != nil {
		return q, err
	}
	amount, err := readField(r, maxAmountBytes, "amount")
	if err != nil {
		return q, err
	}
	q.Amount = new(big.Int).SetBytes(amount)
	ttfb, err := readUvarintFrom(r, 1<<32-1, "time to first byte")
	if err != nil {
		return q, err
	}
	q.TTFBMicros = uint32(ttfb)
	if q.Sig, err = readField(r, sigSize, "signature"); err != nil {
		return q, err
	}
	if len(q.Sig) != sigSize {
		return q, fmt.Errorf("%w: signature of %d bytes, want %d", ErrProtocol, len(q.Sig), sigSize)
	}
	if r.Len() != 0 {
		return q, fmt.Errorf("%w: %d bytes after the receipt", ErrProtocol, r.Len())
	}
	if !bytes.Equal(EncodeReceipt(q), b) {
		return q, fmt.Errorf("%w: the receipt is not in canonical form", ErrProtocol)
	}
	return q, nil
}
