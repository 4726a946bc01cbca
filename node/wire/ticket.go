package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Bounds of the messages in this file.
const (
	MaxTicketSize    = 1024
	MaxManifestCIDs  = 16 // manifest CIDs one node lists for a root
	maxPeerIDSize    = 128
	ticketSigSize    = 65
	maxTicketBytes   = 1 << 50
	ticketDomain     = "dstore upload ticket v1\n"
	ticketVersion    = 1
	manifestListSize = 1 + MaxManifestCIDs*(2+maxCIDSize)
)

// Ticket authorizes one upload: the bytes of one shard of the file Root, cut as the manifest
// Manifest says, sent to the node Node by the libp2p peer Uploader before Expiry. The paying chain
// account Account signs SigningBytes (EIP-191, see the chain package); the node recovers the
// signer from Sig, refuses the ticket unless it is Account, and counts Size against that
// account's quota of unpaid bytes.
type Ticket struct {
	Account  [20]byte
	Root     cid.Cid
	Manifest cid.Cid
	Shard    int
	Node     peer.ID
	Uploader peer.ID
	Size     int64 // bytes of the shard
	Expiry   int64 // Unix seconds; the node refuses the ticket and its writes after it
	Sig      []byte
}

// ExpiresAt returns the expiry as a time.
func (t Ticket) ExpiresAt() time.Time { return time.Unix(t.Expiry, 0) }

// SigningBytes is what the account signs: a domain string and every field but the signature.
func (t Ticket) SigningBytes() []byte {
	b := []byte(ticketDomain)
	return t.appendBody(b)
}

func (t Ticket) appendBody(b []byte) []byte {
	b = append(b, ticketVersion)
	b = append(b, t.Account[:]...)
	b = appendField(b, cidBytes(t.Root))
	b = appendField(b, cidBytes(t.Manifest))
	b = binary.AppendUvarint(b, uint64(t.Shard))
	b = appendField(b, []byte(t.Node))
	b = appendField(b, []byte(t.Uploader))
	b = binary.AppendUvarint(b, uint64(t.Size))
	return binary.AppendUvarint(b, uint64(t.Expiry))
}

func cidBytes(c cid.Cid) []byte {
	if !c.Defined() {
		return nil
	}
	return c.Bytes()
}

func appendField(b, v []byte) []byte { return append(binary.AppendUvarint(b, uint64(len(v))), v...) }

// EncodeTicket returns the wire form of t: its body, then the signature.
func EncodeTicket(t Ticket) []byte {
	return appendField(t.appendBody(nil), t.Sig)
}

// DecodeTicket parses a ticket, checking every field against its bound; it does not check the
// signature (the node's verifier does).
func DecodeTicket(b []byte) (Ticket, error) {
	var t Ticket
	if len(b) > MaxTicketSize {
		return t, fmt.Errorf("%w: ticket of %d bytes, at most %d", ErrTooLarge, len(b), MaxTicketSize)
	}
	r := bytes.NewReader(b)
	v, err := r.ReadByte()
	if err != nil || v != ticketVersion {
		return t, fmt.Errorf("%w: ticket version %d, want %d", ErrProtocol, v, ticketVersion)
	}
	if _, err := io.ReadFull(r, t.Account[:]); err != nil {
		return t, fmt.Errorf("%w: reading the account: %v", ErrProtocol, err)
	}
	if t.Root, err = readCID(r, "root"); err != nil {
		return t, err
	}
	if t.Manifest, err = readCID(r, "manifest"); err != nil {
		return t, err
	}
	shard, err := readUvarintFrom(r, maxShards-1, "shard")
	if err != nil {
		return t, err
	}
	t.Shard = int(shard)
	if t.Node, err = readPeer(r, "node"); err != nil {
		return t, err
	}
	if t.Uploader, err = readPeer(r, "uploader"); err != nil {
		return t, err
	}
	size, err := readUvarintFrom(r, maxTicketBytes, "size")
	if err != nil {
		return t, err
	}
	exp, err := readUvarintFrom(r, 1<<62, "expiry")
	if err != nil {
		return t, err
	}
	t.Size, t.Expiry = int64(size), int64(exp)
	if t.Sig, err = readField(r, ticketSigSize, "signature"); err != nil {
		return t, err
	}
	if len(t.Sig) != ticketSigSize {
		return t, fmt.Errorf("%w: signature of %d bytes, want %d", ErrProtocol, len(t.Sig), ticketSigSize)
	}
	if r.Len() != 0 {
		return t, fmt.Errorf("%w: %d bytes after the ticket", ErrProtocol, r.Len())
	}
	if !bytes.Equal(EncodeTicket(t), b) { // one encoding per ticket: no padded integers
		return t, fmt.Errorf("%w: the ticket is not in canonical form", ErrProtocol)
	}
	return t, nil
}

func readUvarintFrom(r *bytes.Reader, limit uint64, what string) (uint64, error) {
	v, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, fmt.Errorf("%w: reading the %s: %v", ErrProtocol, what, err)
	}
	if v > limit {
		return 0, fmt.Errorf("%w: %s %d exceeds %d", ErrProtocol, what, v, limit)
	}
	return v, nil
}

func readField(r *bytes.Reader, limit int, what string) ([]byte, error) {
	n, err := readUvarintFrom(r, uint64(limit), what+" length")
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: reading the %s: %v", ErrProtocol, what, err)
	}
	return b, nil
}

func readCID(r *bytes.Reader, what string) (cid.Cid, error) {
	b, err := readField(r, maxCIDSize, what)
	if err != nil {
		return cid.Undef, err
	}
	c, err := cid.Cast(b)
	if err != nil {
		return cid.Undef, fmt.Errorf("%w: the %s is not a CID: %v", ErrProtocol, what, err)
	}
	return c, nil
}

func readPeer(r *bytes.Reader, what string) (peer.ID, error) {
	b, err := readField(r, maxPeerIDSize, what)
	if err != nil {
		return "", err
	}
	id, err := peer.IDFromBytes(b)
	if err != nil {
		return "", fmt.Errorf("%w: the %s is not a peer ID: %v", ErrProtocol, what, err)
	}
	return id, nil
}

// EncodeManifestList returns the wire form of a list of manifest CIDs (at most MaxManifestCIDs).
func EncodeManifestList(cids []cid.Cid) []byte {
	cids = cids[:min(len(cids), MaxManifestCIDs)]
	b := binary.AppendUvarint(nil, uint64(len(cids)))
	for _, c := range cids {
		b = appendField(b, c.Bytes())
	}
	return b
}

// DecodeManifestList parses a list of manifest CIDs.
func DecodeManifestList(b []byte) ([]cid.Cid, error) {
	if len(b) > manifestListSize {
		return nil, fmt.Errorf("%w: manifest list of %d bytes", ErrTooLarge, len(b))
	}
	r := bytes.NewReader(b)
	n, err := readUvarintFrom(r, MaxManifestCIDs, "manifest count")
	if err != nil {
		return nil, err
	}
	out := make([]cid.Cid, 0, n)
	for range n {
		c, err := readCID(r, "manifest CID")
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the manifest list", ErrProtocol, r.Len())
	}
	if !bytes.Equal(EncodeManifestList(out), b) {
		return nil, fmt.Errorf("%w: the manifest list is not in canonical form", ErrProtocol)
	}
	return out, nil
}
