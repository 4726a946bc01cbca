package sharding

import (
	"fmt"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// Manifest versions. A version 1 manifest describes one file: the stored stream is the file and
// its DAG is the balanced UnixFS DAG of the importer. A version 2 manifest describes any DAG (a
// directory tree, the DAGs of a CAR): its internal blocks are listed with their CIDs in Blocks and
// its raw leaves, in Stream, are the stored stream cut in order (see docs/architecture.md).
const (
	ManifestVersion    = 1
	ManifestVersionDAG = 2
	// stripedVersion is added to the version of a manifest with a stripe size when it is written.
	stripedVersion = 2
	// chunkHashVersion is added to the version of a manifest with PieceChunks when it is written.
	chunkHashVersion = 4
)

// Bounds on a manifest, checked before anything is allocated from untrusted lengths.
const (
	MaxManifestSize = 64 << 20 // serialized bytes
	MaxLeaves       = 1 << 24  // leaves of the file (4 TiB with 256 KiB chunks)
	MaxPeerLen      = 256      // bytes of a peer ID string
	MaxAddrs        = 32       // address hints per location
	MaxAddrLen      = 1024     // bytes of one address hint
	MaxReplicas     = 64       // locations per shard
	MaxSlotRootLen  = 64       // bytes of one commitment root
	MaxBlockSize    = 2 << 20  // bytes of one block of a version 2 manifest (internal or leaf)
)

// Manifest describes one upload: how the file was cut, the hash of every piece, the DAG's internal
// nodes and where each shard lives.
type Manifest struct {
	Version   int
	Root      cid.Cid
	Size      int64
	ChunkSize int64
	K, M      int
	PieceSize int64 // full piece size; the last segment's may be smaller (see SegmentPieceSize)
	// StripeSize is the unit in which a segment's bytes are dealt to its data pieces (see Layout);
	// 0 for the plain layout, each piece one run of the segment.
	StripeSize int64
	// PieceHash is how the piece hashes in Segments are computed (see PieceSum).
	PieceHash PieceHash
	Segments  [][][32]byte // Segments[j][i] = the hash of piece i of segment j
	DAG       [][]byte     // version 1: raw bytes of every distinct internal dag-pb node, root first, then depth-first; empty when the root is a raw leaf
	Blocks    []Block      // version 2: every distinct non-raw block of the DAG with its CID, the root first unless it is a raw leaf
	Stream    []Leaf       // version 2: the raw leaves that make up the stored stream, in stream order (Offset is cumulative)
	Placement [][]Location // Placement[i] = nodes holding shard i (empty, or K+M lists of >= 1 entry)
	SlotRoots [][]byte     // optional, per shard: commitment roots filled by the proof layer (empty, or K+M)
}

// PieceHash names how a manifest hashes its pieces.
type PieceHash uint8

const (
	// PieceSHA256 is the SHA-256 of the whole piece, as manifests written before PieceChunks have.
	PieceSHA256 PieceHash = iota
	// PieceChunks is the SHA-256 of the SHA-256 of each ChunkSize bytes of the piece, in order (the
	// last may be short). A data piece laid out in whole chunks holds whole leaves at those
	// offsets, and the SHA-256 of a raw leaf is its CID's digest: the importer hashes such a piece's
	// bytes once, for its leaves and for the piece.
	PieceChunks
)

// PieceSum is the hash of piece in the manifest's scheme (PieceHash), which its Segments hold.
func (m *Manifest) PieceSum(piece []byte) [32]byte {
	return pieceHasher{scheme: m.PieceHash, chunk: m.ChunkSize}.sum(0, piece)
}

// Block is one block of a version 2 manifest's DAG.
type Block struct {
	CID  cid.Cid
	Data []byte
}

// Location names a node holding a shard.
type Location struct {
	Peer  string   `json:"peer"`            // libp2p peer ID string
	Addrs []string `json:"addrs,omitempty"` // multiaddr hints
}

// Params returns the manifest's cutting parameters.
func (m *Manifest) Params() Params {
	return Params{K: m.K, M: m.M, ChunkSize: m.ChunkSize, PieceSize: m.PieceSize, StripeSize: m.stripeParam()}
}

// stripeParam is StripeSize as Params has it: the piece size for the plain layout.
func (m *Manifest) stripeParam() int64 {
	if m.StripeSize == 0 {
		return m.PieceSize
	}
	return m.StripeSize
}

// SegmentSize is the number of file bytes in a full segment.
func (m *Manifest) SegmentSize() int64 { return int64(m.K) * m.PieceSize }

// NumSegments is the number of segments; 0 for an empty file.
func (m *Manifest) NumSegments() int {
	ss := m.SegmentSize()
	if m.Size <= 0 || ss <= 0 {
		return 0
	}
	return int((m.Size + ss - 1) / ss)
}

// SegmentLength is the number of file bytes in segment j.
func (m *Manifest) SegmentLength(j int) int64 {
	n := m.NumSegments()
	if j < 0 || j >= n {
		return 0
	}
	if j < n-1 {
		return m.SegmentSize()
	}
	return m.Size - int64(j)*m.SegmentSize()
}

// SegmentPieceSize is the size of each piece of segment j: PieceSize, except for a short last
// segment where it is ceil(length/K) rounded up to a multiple of PieceAlign and, when that is
// larger than StripeSize, to a whole number of units of at most StripeSize bytes (SegmentLayout).
func (m *Manifest) SegmentPieceSize(j int) int64 {
	return pieceSizeFor(m.SegmentLength(j), m.K, m.PieceSize, m.StripeSize)
}

func pieceSizeFor(length int64, k int, pieceSize, stripe int64) int64 {
	if length <= 0 {
		return 0
	}
	if length >= int64(k)*pieceSize {
		return pieceSize
	}
	ps := alignUp((length+int64(k)-1)/int64(k), PieceAlign)
	if stripe > 0 && ps > stripe {
		// Whole units of at most stripe bytes, as small as they can be.
		rows := (ps + stripe - 1) / stripe
		ps = rows * alignUp((ps+rows-1)/rows, PieceAlign)
	}
	return ps
}

func alignUp(n, a int64) int64 { return (n + a - 1) / a * a }

// ShardSize is the number of bytes one shard holds: the sum of its piece sizes.
func (m *Manifest) ShardSize() int64 {
	n := m.NumSegments()
	if n == 0 {
		return 0
	}
	return int64(n-1)*m.PieceSize + m.SegmentPieceSize(n-1)
}

// CID is the manifest's own address: CIDv1, raw codec, sha2-256 over Content().Marshal(). It covers
// how the file was cut, every piece hash and the DAG, but not the placement or the slot roots:
// shards may move to other nodes during an upload and after it, while what they hold stays the same.
func (m *Manifest) CID() (cid.Cid, error) {
	b, err := m.Content().Marshal()
	if err != nil {
		return cid.Undef, err
	}
	return cid.V1Builder{Codec: cid.Raw, MhType: mh.SHA2_256}.Sum(b)
}

// Content returns a copy of m without its placement and slot roots: the part its CID addresses.
// The copy shares the piece hashes and DAG nodes with m.
func (m *Manifest) Content() *Manifest {
	c := *m
	c.Placement, c.SlotRoots = nil, nil
	return &c
}

// CheckPlacement reports a manifest a reader cannot use: one that does not name a node for every
// shard (Validate accepts a manifest without placement, as an upload builds it).
func (m *Manifest) CheckPlacement() error {
	if len(m.Placement) != m.K+m.M {
		return fmt.Errorf("%w: placement of %d shards, want %d", ErrNoPlacement, len(m.Placement), m.K+m.M)
	}
	return nil
}

// Validate runs every consistency check a decoded manifest must pass: version, parameters,
// the number of piece hashes, the DAG against the root CID and the size, placement and slot roots.
func (m *Manifest) Validate() error {
	if m.Version != ManifestVersion && m.Version != ManifestVersionDAG {
		return fmt.Errorf("%w: version %d, this build reads versions %d and %d", ErrManifestVersion, m.Version, ManifestVersion, ManifestVersionDAG)
	}
	if err := m.Params().Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidManifest, err)
	}
	if m.PieceHash != PieceSHA256 && m.PieceHash != PieceChunks {
		return fmt.Errorf("%w: piece hash scheme %d", ErrManifestVersion, m.PieceHash)
	}
	if m.StripeSize == m.PieceSize && m.StripeSize != 0 {
		return fmt.Errorf("%w: stripe size %d equals the piece size: the plain layout has stripe size 0", ErrInvalidManifest, m.StripeSize)
	}
	if m.Size < 0 {
		return fmt.Errorf("%w: negative size %d", ErrInvalidManifest, m.Size)
	}
	if leaves := (m.Size + m.ChunkSize - 1) / m.ChunkSize; m.Version == ManifestVersion && leaves > MaxLeaves {
		return fmt.Errorf("%w: %d bytes in %d-byte chunks make %d leaves, at most %d", ErrInvalidManifest, m.Size, m.ChunkSize, leaves, MaxLeaves)
	}
	if n := m.NumSegments(); len(m.Segments) != n {
		return fmt.Errorf("%w: %d segments of piece hashes, a %d-byte file in %d-byte segments has %d", ErrInvalidManifest, len(m.Segments), m.Size, m.SegmentSize(), n)
	}
	for j, s := range m.Segments {
		if len(s) != m.K+m.M {
			return fmt.Errorf("%w: segment %d has %d piece hashes, want %d", ErrInvalidManifest, j, len(s), m.K+m.M)
		}
	}
	if m.Version == ManifestVersionDAG {
		if err := m.checkTree(); err != nil {
			return err
		}
	} else if len(m.Blocks) != 0 || len(m.Stream) != 0 {
		return fmt.Errorf("%w: a version %d manifest lists blocks or stream leaves", ErrInvalidManifest, m.Version)
	} else if _, err := m.walk(nil); err != nil {
		return err
	}
	if len(m.Placement) != 0 && len(m.Placement) != m.K+m.M {
		return fmt.Errorf("%w: placement of %d shards, want %d", ErrInvalidManifest, len(m.Placement), m.K+m.M)
	}
	for i, locs := range m.Placement {
		if len(locs) < 1 || len(locs) > MaxReplicas {
			return fmt.Errorf("%w: shard %d has %d locations, want 1 to %d", ErrInvalidManifest, i, len(locs), MaxReplicas)
		}
		for _, l := range locs {
			if l.Peer == "" || len(l.Peer) > MaxPeerLen {
				return fmt.Errorf("%w: shard %d: peer ID of %d bytes", ErrInvalidManifest, i, len(l.Peer))
			}
			if len(l.Addrs) > MaxAddrs {
				return fmt.Errorf("%w: shard %d: %d addresses for peer %s, at most %d", ErrInvalidManifest, i, len(l.Addrs), l.Peer, MaxAddrs)
			}
			for _, a := range l.Addrs {
				if a == "" || len(a) > MaxAddrLen {
					return fmt.Errorf("%w: shard %d: address of %d bytes for peer %s", ErrInvalidManifest, i, len(a), l.Peer)
				}
			}
		}
	}
	if len(m.SlotRoots) != 0 && len(m.SlotRoots) != m.K+m.M {
		return fmt.Errorf("%w: %d slot roots, want %d", ErrInvalidManifest, len(m.SlotRoots), m.K+m.M)
	}
	for i, r := range m.SlotRoots {
		if len(r) > MaxSlotRootLen {
			return fmt.Errorf("%w: slot root %d has %d bytes, at most %d", ErrInvalidManifest, i, len(r), MaxSlotRootLen)
		}
	}
	return nil
}
