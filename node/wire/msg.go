package wire

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/sharding"
)

// Protocol IDs.
const (
	ProtoStorePiece = "/dstore/piece/store/1.0.0"
	ProtoGetPiece   = "/dstore/piece/get/1.0.0"
	// ProtoStoreManifest carries a marshaled manifest: the node keeps its content under the
	// manifest's CID and its placement beside it, as a hint.
	ProtoStoreManifest = "/dstore/manifest/store/2.0.0"
	// ProtoGetManifest asks for the manifest whose CID is the request's Root: its content and the
	// placement the node holds for it.
	ProtoGetManifest = "/dstore/manifest/get/2.0.0"
	// ProtoListManifests asks which manifest CIDs a node holds for the file root in Root.
	ProtoListManifests = "/dstore/manifest/list/1.0.0"
	// ProtoManifestOf asks for the manifest a node holds for the file root in Root, as
	// ProtoGetManifest answers it: a list and a fetch in one round trip.
	ProtoManifestOf = "/dstore/manifest/root/1.0.0"
	// ProtoTicket carries an upload ticket (see Ticket) before the writes it authorizes.
	ProtoTicket = "/dstore/ticket/1.0.0"
	ProtoStat   = "/dstore/stat/1.0.0"
	// ProtoSlotRoot and ProtoSlotOpen are the slot protocols: a holder's commitment to one
	// shard, and Merkle paths of cells of it.
	ProtoSlotRoot = "/dstore/slot/root/1.0.0"
	ProtoSlotOpen = "/dstore/slot/open/1.0.0"
)

// Limits on what a message may carry: the largest piece and manifest sharding makes.
const (
	MaxPieceSize    = sharding.MaxPieceSize
	MaxManifestSize = sharding.MaxManifestSize
	MaxHeaderSize   = 512
	MaxShards       = 256 // shards of one file a request may name
	maxCIDSize      = 128
	maxMsgSize      = 256
	maxShards       = MaxShards
	maxSegments     = 1 << 32
	version         = 1
)

// PieceRef names one piece: piece Shard of segment Segment of the file with root CID Root.
type PieceRef struct {
	Root    cid.Cid
	Shard   int
	Segment int
}

func (r PieceRef) String() string {
	return fmt.Sprintf("%s/shard %d/segment %d", r.Root, r.Shard, r.Segment)
}

// Request is the header of every request. Fields a protocol does not use are zero.
type Request struct {
	Root    cid.Cid
	Shard   int
	Segment int
	Sum     [32]byte // the payload's hash in its manifest (store piece, see sharding.PieceHash)
	Off     int64    // byte range (get piece); N < 0 means to the end
	N       int64
	Size    int64 // payload bytes that follow the header
}

// Response is the header of every response.
type Response struct {
	Code     byte
	Msg      string
	Size     int64 // payload bytes that follow
	Segments int64 // stat: segments held
	Bytes    int64 // stat: bytes held
}

// EncodeRequest returns the wire form of r.
func EncodeRequest(r Request) []byte {
	b := []byte{version}
	var rootBytes []byte
	if r.Root.Defined() {
		rootBytes = r.Root.Bytes()
	}
	b = binary.AppendUvarint(b, uint64(len(rootBytes)))
	b = append(b, rootBytes...)
	b = binary.AppendUvarint(b, uint64(r.Shard))
	b = binary.AppendUvarint(b, uint64(r.Segment))
	b = append(b, r.Sum[:]...)
	b = binary.AppendUvarint(b, uint64(r.Off))
	b = binary.AppendVarint(b, r.N)
	b = binary.AppendUvarint(b, uint64(r.Size))
	return b
}

// ReadRequest reads one request header, checking every field against its bound.
func ReadRequest(r *bufio.Reader) (Request, error) {
	var q Request
	v, err := r.ReadByte()
	if err != nil {
		return q, fmt.Errorf("%w: reading the version: %v", ErrProtocol, err)
	}
	if v != version {
		return q, fmt.Errorf("%w: version %d, want %d", ErrProtocol, v, version)
	}
	n, err := readUvarint(r, maxCIDSize, "root length")
	if err != nil {
		return q, err
	}
	if n > 0 {
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return q, fmt.Errorf("%w: reading the root: %v", ErrProtocol, err)
		}
		c, err := cid.Cast(buf)
		if err != nil {
			return q, fmt.Errorf("%w: root is not a CID: %v", ErrProtocol, err)
		}
		q.Root = c
	}
	shard, err := readUvarint(r, maxShards-1, "shard")
	if err != nil {
		return q, err
	}
	seg, err := readUvarint(r, maxSegments-1, "segment")
	if err != nil {
		return q, err
	}
	q.Shard, q.Segment = int(shard), int(seg)
	if _, err := io.ReadFull(r, q.Sum[:]); err != nil {
		return q, fmt.Errorf("%w: reading the checksum: %v", ErrProtocol, err)
	}
	off, err := readUvarint(r, MaxPieceSize, "offset")
	if err != nil {
		return q, err
	}
	q.Off = int64(off)
	if q.N, err = binary.ReadVarint(r); err != nil {
		return q, fmt.Errorf("%w: reading the length: %v", ErrProtocol, err)
	}
	if q.N > MaxPieceSize || q.N < -1 {
		return q, fmt.Errorf("%w: length %d out of range", ErrProtocol, q.N)
	}
	size, err := readUvarint(r, max(MaxPieceSize, MaxManifestSize), "payload size")
	if err != nil {
		return q, err
	}
	q.Size = int64(size)
	return q, nil
}

// EncodeResponse returns the wire form of r.
func EncodeResponse(r Response) []byte {
	msg := r.Msg
	if len(msg) > maxMsgSize {
		msg = msg[:maxMsgSize]
	}
	b := []byte{version, r.Code}
	b = binary.AppendUvarint(b, uint64(len(msg)))
	b = append(b, msg...)
	b = binary.AppendUvarint(b, uint64(r.Size))
	b = binary.AppendUvarint(b, uint64(r.Segments))
	b = binary.AppendUvarint(b, uint64(r.Bytes))
	return b
}

// ReadResponse reads one response header.
func ReadResponse(r *bufio.Reader) (Response, error) {
	var s Response
	v, err := r.ReadByte()
	if err != nil {
		return s, fmt.Errorf("%w: reading the version: %w", ErrProtocol, err)
	}
	if v != version {
		return s, fmt.Errorf("%w: version %d, want %d", ErrProtocol, v, version)
	}
	if s.Code, err = r.ReadByte(); err != nil {
		return s, fmt.Errorf("%w: reading the status: %v", ErrProtocol, err)
	}
	n, err := readUvarint(r, maxMsgSize, "message length")
	if err != nil {
		return s, err
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		return s, fmt.Errorf("%w: reading the message: %v", ErrProtocol, err)
	}
	s.Msg = string(msg)
	size, err := readUvarint(r, max(MaxPieceSize, MaxManifestSize), "payload size")
	if err != nil {
		return s, err
	}
	segs, err := readUvarint(r, maxSegments, "segments")
	if err != nil {
		return s, err
	}
	byt, err := readUvarint(r, 1<<50, "bytes")
	if err != nil {
		return s, err
	}
	s.Size, s.Segments, s.Bytes = int64(size), int64(segs), int64(byt)
	return s, nil
}

func readUvarint(r *bufio.Reader, limit uint64, what string) (uint64, error) {
	v, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, fmt.Errorf("%w: reading the %s: %v", ErrProtocol, what, err)
	}
	if v > limit {
		return 0, fmt.Errorf("%w: %s %d exceeds %d", ErrTooLarge, what, v, limit)
	}
	return v, nil
}
