package sharding

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// allowedCodec says whether a version 2 manifest may hold blocks of codec c.
func allowedCodec(c uint64) bool {
	switch c {
	case cid.Raw, cid.DagProtobuf, cid.DagCBOR, cid.DagJSON:
		return true
	}
	return false
}

// checkBlockCID accepts CIDv1 with sha2-256 and a codec this package stores.
func checkBlockCID(c cid.Cid) error {
	if !c.Defined() {
		return fmt.Errorf("CID is undefined")
	}
	p := c.Prefix()
	if p.Version != 1 || !allowedCodec(p.Codec) || p.MhType != mh.SHA2_256 || p.MhLength != sha256.Size {
		return fmt.Errorf("CID %s is not CIDv1 raw, dag-pb, dag-cbor or dag-json with sha2-256", c)
	}
	return nil
}

// checkTree validates the DAG part of a version 2 manifest: every block hashes to its CID and
// appears once, the stream leaves are raw, in bounds and cover exactly Size bytes, and the root
// is the first block or, when it is a raw leaf, one of the stream's leaves. Whether every block
// reachable from the root is present is the importer's business: a reader checks each block
// against its CID, so a missing one can only make that block unavailable.
func (m *Manifest) checkTree() error {
	if len(m.DAG) != 0 {
		return fmt.Errorf("%w: a version %d manifest has version 1 DAG nodes", ErrInvalidManifest, m.Version)
	}
	if err := checkBlockCID(m.Root); err != nil {
		return fmt.Errorf("%w: root %w", ErrInvalidManifest, err)
	}
	if len(m.Stream) > MaxLeaves {
		return fmt.Errorf("%w: %d stream leaves, at most %d", ErrInvalidManifest, len(m.Stream), MaxLeaves)
	}
	seen := make(map[string]bool, len(m.Blocks))
	for i, b := range m.Blocks {
		if err := checkBlockCID(b.CID); err != nil {
			return fmt.Errorf("%w: block %d: %w", ErrInvalidManifest, i, err)
		}
		if b.CID.Type() == cid.Raw {
			return fmt.Errorf("%w: block %d (%s) is raw; raw blocks belong to the stream", ErrInvalidManifest, i, b.CID)
		}
		if len(b.Data) > MaxBlockSize {
			return fmt.Errorf("%w: block %d has %d bytes, at most %d", ErrInvalidManifest, i, len(b.Data), MaxBlockSize)
		}
		sum := sha256.Sum256(b.Data)
		if !bytes.Equal(sum[:], digest(b.CID)) {
			return fmt.Errorf("%w: block %d does not hash to its CID %s", ErrInvalidManifest, i, b.CID)
		}
		if seen[b.CID.KeyString()] {
			return fmt.Errorf("%w: block %d (%s) appears twice", ErrInvalidManifest, i, b.CID)
		}
		seen[b.CID.KeyString()] = true
	}
	var off int64
	rootInStream := false
	for i, l := range m.Stream {
		if err := checkBlockCID(l.CID); err != nil || l.CID.Type() != cid.Raw {
			return fmt.Errorf("%w: stream leaf %d: %s is not a CIDv1 raw sha2-256 leaf", ErrInvalidManifest, i, l.CID)
		}
		if l.Size < 0 || l.Size > MaxBlockSize {
			return fmt.Errorf("%w: stream leaf %d has %d bytes, at most %d", ErrInvalidManifest, i, l.Size, MaxBlockSize)
		}
		if l.Offset != off {
			return fmt.Errorf("%w: stream leaf %d starts at %d, the leaves before it end at %d", ErrInvalidManifest, i, l.Offset, off)
		}
		off += l.Size
		rootInStream = rootInStream || l.CID.Equals(m.Root)
	}
	if off != m.Size {
		return fmt.Errorf("%w: the stream leaves cover %d bytes, the stream has %d", ErrInvalidManifest, off, m.Size)
	}
	switch {
	case m.Root.Type() == cid.Raw && !rootInStream:
		return fmt.Errorf("%w: the raw root %s is not in the stream", ErrInvalidManifest, m.Root)
	case m.Root.Type() != cid.Raw && (len(m.Blocks) == 0 || !m.Blocks[0].CID.Equals(m.Root)):
		return fmt.Errorf("%w: the first block is not the root %s", ErrInvalidManifest, m.Root)
	}
	return nil
}

// BlockRef says where a block of an upload is: in the manifest (Data) or at [Offset, Offset+Size)
// of the stored stream.
type BlockRef struct {
	Data         []byte
	InManifest   bool
	Offset, Size int64
}

// BlockIndex finds the blocks of one upload by multihash.
type BlockIndex struct {
	refs map[string]BlockRef
}

// Index returns the index of every block of m's DAG: internal nodes from the manifest, leaves at
// their stream offsets (the first one when a leaf appears twice). m must be valid.
func (m *Manifest) Index() (*BlockIndex, error) {
	ix := &BlockIndex{refs: make(map[string]BlockRef)}
	add := func(c cid.Cid, r BlockRef) {
		if _, ok := ix.refs[string(c.Hash())]; !ok {
			ix.refs[string(c.Hash())] = r
		}
	}
	if m.Version == ManifestVersionDAG {
		for _, b := range m.Blocks {
			add(b.CID, BlockRef{Data: b.Data, InManifest: true, Size: int64(len(b.Data))})
		}
	} else {
		for _, b := range m.DAG {
			add(dagPBCid(b), BlockRef{Data: b, InManifest: true, Size: int64(len(b))})
		}
	}
	leaves, err := m.Leaves()
	if err != nil {
		return nil, err
	}
	for _, l := range leaves {
		add(l.CID, BlockRef{Offset: l.Offset, Size: l.Size})
	}
	return ix, nil
}

// Lookup returns where the block with c's multihash is.
func (ix *BlockIndex) Lookup(c cid.Cid) (BlockRef, bool) {
	r, ok := ix.refs[string(c.Hash())]
	return r, ok
}

// Len is the number of distinct blocks.
func (ix *BlockIndex) Len() int { return len(ix.refs) }

// Each calls fn with the key of every block: its multihash bytes as a string.
func (ix *BlockIndex) Each(fn func(key string)) {
	for k := range ix.refs {
		fn(k)
	}
}
