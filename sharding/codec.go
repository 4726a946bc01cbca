package sharding

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/ipfs/go-cid"
)

// manifestMagic opens every serialized manifest.
const manifestMagic = "DSTM"

// Marshal serializes a valid manifest to its deterministic binary form:
//
//	"DSTM" version root size chunkSize k m pieceSize [stripeSize]
//	nsegments { (k+m) x 32-byte piece hash }
//	ndag { len bytes }                               (version 1)
//	nblocks { len cid len bytes } nstream { len cid size }  (version 2, in place of ndag)
//	nplacement { nlocations { len peer  naddrs { len addr } } }
//	nslotroots { len bytes }
//
// where every integer is a minimal unsigned varint and root is len + CID bytes. A manifest with a
// stripe size (Layout) is written as version 3 (a version 1 manifest) or 4 (version 2), with
// stripeSize after pieceSize; builds that know only versions 1 and 2 refuse it rather than read its
// pieces in the wrong order. A manifest whose piece hashes are PieceChunks adds 4 to its version
// (5 to 8), so that builds that check pieces with a plain SHA-256 refuse it rather than every piece.
func (m *Manifest) Marshal() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(m.Segments)*(m.K+m.M)*32)
	b = append(b, manifestMagic...)
	b = binary.AppendUvarint(b, uint64(m.wireVersion()))
	b = appendBytes(b, m.Root.Bytes())
	for _, v := range []uint64{uint64(m.Size), uint64(m.ChunkSize), uint64(m.K), uint64(m.M), uint64(m.PieceSize)} {
		b = binary.AppendUvarint(b, v)
	}
	if m.StripeSize != 0 {
		b = binary.AppendUvarint(b, uint64(m.StripeSize))
	}
	b = binary.AppendUvarint(b, uint64(len(m.Segments)))
	for _, s := range m.Segments {
		for _, h := range s {
			b = append(b, h[:]...)
		}
	}
	if m.Version == ManifestVersionDAG {
		b = binary.AppendUvarint(b, uint64(len(m.Blocks)))
		for _, blk := range m.Blocks {
			b = appendBytes(b, blk.CID.Bytes())
			b = appendBytes(b, blk.Data)
		}
		b = binary.AppendUvarint(b, uint64(len(m.Stream)))
		for _, l := range m.Stream {
			b = appendBytes(b, l.CID.Bytes())
			b = binary.AppendUvarint(b, uint64(l.Size))
		}
	} else {
		b = binary.AppendUvarint(b, uint64(len(m.DAG)))
		for _, n := range m.DAG {
			b = appendBytes(b, n)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(m.Placement)))
	for _, locs := range m.Placement {
		b = binary.AppendUvarint(b, uint64(len(locs)))
		for _, l := range locs {
			b = appendBytes(b, []byte(l.Peer))
			b = binary.AppendUvarint(b, uint64(len(l.Addrs)))
			for _, a := range l.Addrs {
				b = appendBytes(b, []byte(a))
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(m.SlotRoots)))
	for _, r := range m.SlotRoots {
		b = appendBytes(b, r)
	}
	if len(b) > MaxManifestSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrManifestTooLarge, len(b), MaxManifestSize)
	}
	return b, nil
}

// wireVersion is the version number m is written with: its Version, plus stripedVersion with a
// stripe size, plus chunkHashVersion with PieceChunks.
func (m *Manifest) wireVersion() int {
	v := m.Version
	if m.StripeSize != 0 {
		v += stripedVersion
	}
	if m.PieceHash == PieceChunks {
		v += chunkHashVersion
	}
	return v
}

func appendBytes(b, v []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

// UnmarshalManifest decodes and fully validates a manifest (see Manifest.Validate). It is strict:
// unknown versions, non-minimal integers, counts that disagree, truncation, trailing bytes and
// input over MaxManifestSize are all rejected.
func UnmarshalManifest(b []byte) (*Manifest, error) {
	if len(b) > MaxManifestSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrManifestTooLarge, len(b), MaxManifestSize)
	}
	d := &decoder{b: b}
	if len(b) < len(manifestMagic) || string(b[:len(manifestMagic)]) != manifestMagic {
		return nil, fmt.Errorf("%w: not a dstore manifest (no %q header)", ErrInvalidManifest, manifestMagic)
	}
	d.off = len(manifestMagic)
	m := &Manifest{}
	wire := d.int("version", math.MaxInt32)
	if d.err == nil && (wire < ManifestVersion || wire > ManifestVersionDAG+stripedVersion+chunkHashVersion) {
		return nil, fmt.Errorf("%w: version %d, this build reads versions 1 to 8", ErrManifestVersion, wire)
	}
	m.Version = wire
	if m.Version > ManifestVersionDAG+stripedVersion {
		m.Version -= chunkHashVersion
		m.PieceHash = PieceChunks
	}
	striped := m.Version > ManifestVersionDAG
	if striped {
		m.Version -= stripedVersion
	}
	rootBytes := d.bytes("root CID", 128)
	if d.err == nil {
		c, err := cid.Cast(rootBytes)
		if err != nil {
			return nil, fmt.Errorf("%w: root CID: %v", ErrInvalidManifest, err)
		}
		if string(c.Bytes()) != string(rootBytes) {
			return nil, fmt.Errorf("%w: root CID is not in canonical form", ErrInvalidManifest)
		}
		m.Root = c
	}
	m.Size = int64(d.uint("size", math.MaxInt64))
	m.ChunkSize = int64(d.uint("chunk size", uint64(MaxChunkSize)))
	m.K = d.int("k", MaxShards)
	m.M = d.int("m", MaxShards)
	m.PieceSize = int64(d.uint("piece size", MaxPieceSize))
	if striped {
		m.StripeSize = int64(d.uint("stripe size", MaxPieceSize))
		if d.err == nil && (m.StripeSize == 0 || m.StripeSize == m.PieceSize) {
			return nil, fmt.Errorf("%w: stripe size %d of %d-byte pieces is the plain layout, written as version %d", ErrInvalidManifest, m.StripeSize, m.PieceSize, m.Version)
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if err := m.Params().Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	shards := m.K + m.M
	nseg := d.count("segments", 32*shards)
	if d.err == nil && nseg != m.NumSegments() {
		return nil, fmt.Errorf("%w: %d segments of piece hashes, a %d-byte file in %d-byte segments has %d", ErrInvalidManifest, nseg, m.Size, m.SegmentSize(), m.NumSegments())
	}
	if nseg > 0 {
		m.Segments = make([][][32]byte, nseg)
		flat := make([][32]byte, nseg*shards)
		for j := range m.Segments {
			m.Segments[j] = flat[j*shards : (j+1)*shards : (j+1)*shards]
			for i := range m.Segments[j] {
				copy(m.Segments[j][i][:], d.raw(32))
			}
		}
	}
	if m.Version == ManifestVersionDAG {
		nblocks := d.count("blocks", 2)
		for i := 0; i < nblocks && d.err == nil; i++ {
			c := d.cid("block CID")
			m.Blocks = append(m.Blocks, Block{CID: c, Data: d.bytes("block", MaxBlockSize)})
		}
		nstream := d.count("stream leaves", 2)
		var off int64
		for i := 0; i < nstream && d.err == nil; i++ {
			c := d.cid("leaf CID")
			size := int64(d.uint("leaf size", MaxBlockSize))
			m.Stream = append(m.Stream, Leaf{Offset: off, Size: size, CID: c})
			off += size
		}
	} else {
		ndag := d.count("DAG nodes", 1)
		for i := 0; i < ndag && d.err == nil; i++ {
			m.DAG = append(m.DAG, d.bytes("DAG node", MaxManifestSize))
		}
	}
	nplace := d.count("placement", 1)
	for i := 0; i < nplace && d.err == nil; i++ {
		nloc := d.count("locations", 2)
		locs := make([]Location, 0, nloc)
		for l := 0; l < nloc && d.err == nil; l++ {
			loc := Location{Peer: string(d.bytes("peer ID", MaxPeerLen))}
			naddr := d.count("addresses", 1)
			for a := 0; a < naddr && d.err == nil; a++ {
				loc.Addrs = append(loc.Addrs, string(d.bytes("address", MaxAddrLen)))
			}
			locs = append(locs, loc)
		}
		m.Placement = append(m.Placement, locs)
	}
	nslot := d.count("slot roots", 1)
	for i := 0; i < nslot && d.err == nil; i++ {
		m.SlotRoots = append(m.SlotRoots, d.bytes("slot root", MaxSlotRootLen))
	}
	if d.err != nil {
		return nil, d.err
	}
	if d.off != len(b) {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrInvalidManifest, len(b)-d.off)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// decoder reads the manifest's varints and byte strings; the first error sticks.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrInvalidManifest, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) uint(what string, max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	switch {
	case n == 0:
		d.fail("truncated at %s (offset %d)", what, d.off)
		return 0
	case n < 0:
		d.fail("%s overflows (offset %d)", what, d.off)
		return 0
	case n != len(binary.AppendUvarint(nil, v)):
		d.fail("%s is not a minimal varint (offset %d)", what, d.off)
		return 0
	case v > max:
		d.fail("%s is %d, at most %d", what, v, max)
		return 0
	}
	d.off += n
	return v
}

// cid reads a CID in canonical binary form.
func (d *decoder) cid(what string) cid.Cid {
	b := d.bytes(what, 128)
	if d.err != nil {
		return cid.Undef
	}
	c, err := cid.Cast(b)
	if err != nil {
		d.fail("%s: %v", what, err)
		return cid.Undef
	}
	if string(c.Bytes()) != string(b) {
		d.fail("%s is not in canonical form", what)
		return cid.Undef
	}
	return c
}

func (d *decoder) int(what string, max int) int { return int(d.uint(what, uint64(max))) }

// count reads the number of items that follow, each taking at least minBytes bytes, so a count can
// never ask for more memory than the input could fill.
func (d *decoder) count(what string, minBytes int) int {
	n := d.uint(what+" count", uint64(MaxManifestSize))
	if d.err == nil && n*uint64(minBytes) > uint64(len(d.b)-d.off) {
		d.fail("truncated: %d %s announced, %d bytes left", n, what, len(d.b)-d.off)
		return 0
	}
	return int(n)
}

func (d *decoder) raw(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b)-d.off < n {
		d.fail("truncated: %d bytes wanted at offset %d, %d left", n, d.off, len(d.b)-d.off)
		return nil
	}
	v := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return v
}

func (d *decoder) bytes(what string, max int) []byte {
	n := d.uint(what+" length", uint64(max))
	v := d.raw(int(n))
	if d.err != nil {
		return nil
	}
	return append([]byte(nil), v...)
}
