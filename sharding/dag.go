package sharding

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	unixfspb "github.com/ipfs/boxo/ipld/unixfs/pb"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// Leaf is one UnixFS leaf: the file bytes [Offset, Offset+Size) hash to CID (raw, sha2-256).
type Leaf struct {
	Offset, Size int64
	CID          cid.Cid
}

// maxDepth bounds the DAG's height: 174 links per node reach 2^64 bytes well before it.
const maxDepth = 16

// Leaves returns every leaf of the DAG in file order. It checks the DAG as Validate does.
func (m *Manifest) Leaves() ([]Leaf, error) {
	if m.Version == ManifestVersionDAG {
		if err := m.checkTree(); err != nil {
			return nil, err
		}
		return append([]Leaf(nil), m.Stream...), nil
	}
	var leaves []Leaf
	if _, err := m.walk(func(l Leaf) error {
		leaves = append(leaves, l)
		return nil
	}); err != nil {
		return nil, err
	}
	return leaves, nil
}

// walk checks the manifest's DAG (root, sizes, canonical order, nothing missing or extra) and calls
// visit for every leaf in file order.
func (m *Manifest) walk(visit func(Leaf) error) ([]cid.Cid, error) {
	if err := checkPrefix(m.Root); err != nil {
		return nil, fmt.Errorf("%w: root %w", ErrInvalidManifest, err)
	}
	if m.ChunkSize <= 0 {
		return nil, fmt.Errorf("%w: chunk size %d", ErrInvalidManifest, m.ChunkSize)
	}
	if m.Root.Type() == cid.Raw {
		if len(m.DAG) != 0 {
			return nil, fmt.Errorf("%w: the root %s is a raw leaf but the DAG has %d internal nodes", ErrInvalidManifest, m.Root, len(m.DAG))
		}
		if m.Size > m.ChunkSize {
			return nil, fmt.Errorf("%w: the root %s is a single raw leaf but the file has %d bytes, more than one %d-byte chunk", ErrInvalidManifest, m.Root, m.Size, m.ChunkSize)
		}
		if visit != nil {
			if err := visit(Leaf{Offset: 0, Size: m.Size, CID: m.Root}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	if m.Size <= m.ChunkSize {
		return nil, fmt.Errorf("%w: a %d-byte file fits one %d-byte chunk, its root must be a raw leaf, not %s", ErrInvalidManifest, m.Size, m.ChunkSize, m.Root)
	}
	if len(m.DAG) == 0 {
		return nil, fmt.Errorf("%w: the root %s is a dag-pb node but the manifest holds no DAG nodes", ErrInvalidManifest, m.Root)
	}
	nodes := make(map[cid.Cid][]byte, len(m.DAG))
	for i, b := range m.DAG {
		c := dagPBCid(b)
		if i == 0 && !c.Equals(m.Root) {
			return nil, fmt.Errorf("%w: wrong root: the first DAG node hashes to %s, the root CID is %s", ErrInvalidManifest, c, m.Root)
		}
		if _, dup := nodes[c]; dup {
			return nil, fmt.Errorf("%w: DAG node %d (%s) appears twice", ErrInvalidManifest, i, c)
		}
		nodes[c] = b
	}
	order, err := walkDAG(m.Root, m.Size, m.ChunkSize, func(c cid.Cid) ([]byte, bool) {
		b, ok := nodes[c]
		return b, ok
	}, visit)
	if err != nil {
		return nil, err
	}
	if len(order) != len(m.DAG) {
		return nil, fmt.Errorf("%w: %d of the %d DAG nodes are not reachable from the root", ErrInvalidManifest, len(m.DAG)-len(order), len(m.DAG))
	}
	for i, c := range order {
		if !bytes.Equal(nodes[c], m.DAG[i]) {
			return nil, fmt.Errorf("%w: DAG node %d is out of order (want %s, root first then depth-first)", ErrInvalidManifest, i, c)
		}
	}
	return order, nil
}

// checkPrefix accepts only the CIDs the importer makes: CIDv1, raw or dag-pb, sha2-256.
func checkPrefix(c cid.Cid) error {
	if !c.Defined() {
		return fmt.Errorf("CID is undefined")
	}
	p := c.Prefix()
	if p.Version != 1 || (p.Codec != cid.Raw && p.Codec != cid.DagProtobuf) || p.MhType != mh.SHA2_256 || p.MhLength != sha256.Size {
		return fmt.Errorf("CID %s is not CIDv1 raw or dag-pb with sha2-256", c)
	}
	return nil
}

func dagPBCid(b []byte) cid.Cid {
	sum := sha256.Sum256(b)
	h, _ := mh.Encode(sum[:], mh.SHA2_256) // cannot fail for a known code and a 32-byte digest
	return cid.NewCidV1(cid.DagProtobuf, h)
}

// digest returns the sha2-256 digest of a CID that passed checkPrefix.
func digest(c cid.Cid) []byte {
	d, err := mh.Decode(c.Hash())
	if err != nil {
		return nil
	}
	return d.Digest
}

// dagNode is a checked internal node: its children and the file bytes under each.
type dagNode struct {
	links []cid.Cid
	sizes []int64
	total int64
}

type dagWalker struct {
	get    func(cid.Cid) ([]byte, bool)
	size   int64
	chunk  int64
	off    int64
	leaves int
	parsed map[cid.Cid]*dagNode
	order  []cid.Cid
	visit  func(Leaf) error
}

// walkDAG walks the balanced UnixFS DAG under the dag-pb root, checking every node against its CID
// and its sizes against the file's, calls visit for each leaf and returns the distinct internal
// nodes in canonical order (root first, depth-first, first occurrence).
func walkDAG(root cid.Cid, size, chunk int64, get func(cid.Cid) ([]byte, bool), visit func(Leaf) error) ([]cid.Cid, error) {
	w := &dagWalker{get: get, size: size, chunk: chunk, parsed: map[cid.Cid]*dagNode{}, visit: visit}
	if err := w.node(root, size, 0); err != nil {
		return nil, err
	}
	if w.off != size {
		return nil, fmt.Errorf("%w: the leaves cover %d bytes, the file has %d", ErrInvalidManifest, w.off, size)
	}
	return w.order, nil
}

func (w *dagWalker) node(c cid.Cid, want int64, depth int) error {
	if err := checkPrefix(c); err != nil {
		return fmt.Errorf("%w: link %w", ErrInvalidManifest, err)
	}
	if c.Type() == cid.Raw {
		return w.leaf(c, want)
	}
	if depth >= maxDepth {
		return fmt.Errorf("%w: the DAG is deeper than %d", ErrInvalidManifest, maxDepth)
	}
	n, ok := w.parsed[c]
	if !ok {
		var err error
		if n, err = w.parse(c); err != nil {
			return err
		}
		w.parsed[c] = n
		w.order = append(w.order, c)
	}
	if n.total != want {
		return fmt.Errorf("%w: DAG node %s holds %d bytes, its parent says %d", ErrInvalidManifest, c, n.total, want)
	}
	if w.off+n.total > w.size {
		return fmt.Errorf("%w: DAG node %s at offset %d runs past the end of the %d-byte file", ErrInvalidManifest, c, w.off, w.size)
	}
	for i, l := range n.links {
		if err := w.node(l, n.sizes[i], depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (w *dagWalker) leaf(c cid.Cid, size int64) error {
	end := w.off + size
	switch {
	case size <= 0 || size > w.chunk:
		return fmt.Errorf("%w: leaf %s at offset %d has %d bytes, want 1 to %d", ErrInvalidManifest, c, w.off, size, w.chunk)
	case end > w.size:
		return fmt.Errorf("%w: leaf %s at offset %d runs past the end of the %d-byte file", ErrInvalidManifest, c, w.off, w.size)
	case size != w.chunk && end != w.size:
		return fmt.Errorf("%w: leaf %s at offset %d has %d bytes; only the last leaf may be shorter than %d", ErrInvalidManifest, c, w.off, size, w.chunk)
	}
	w.leaves++
	if w.leaves > MaxLeaves {
		return fmt.Errorf("%w: more than %d leaves", ErrInvalidManifest, MaxLeaves)
	}
	if w.visit != nil {
		if err := w.visit(Leaf{Offset: w.off, Size: size, CID: c}); err != nil {
			return err
		}
	}
	w.off = end
	return nil
}

func (w *dagWalker) parse(c cid.Cid) (*dagNode, error) {
	b, ok := w.get(c)
	if !ok {
		return nil, fmt.Errorf("%w: DAG node %s is missing", ErrInvalidManifest, c)
	}
	if !dagPBCid(b).Equals(c) {
		return nil, fmt.Errorf("%w: DAG node bytes do not hash to %s", ErrInvalidManifest, c)
	}
	pn, err := merkledag.DecodeProtobuf(b)
	if err != nil {
		return nil, fmt.Errorf("%w: DAG node %s: %v", ErrInvalidManifest, c, err)
	}
	fs, err := unixfs.FSNodeFromBytes(pn.Data())
	if err != nil {
		return nil, fmt.Errorf("%w: DAG node %s: unixfs: %v", ErrInvalidManifest, c, err)
	}
	links := pn.Links()
	switch {
	case fs.Type() != unixfspb.Data_File:
		return nil, fmt.Errorf("%w: DAG node %s is a unixfs %v, want a file", ErrInvalidManifest, c, fs.Type())
	case len(fs.Data()) != 0:
		return nil, fmt.Errorf("%w: DAG node %s carries inline data", ErrInvalidManifest, c)
	case len(links) == 0 || len(links) != fs.NumChildren():
		return nil, fmt.Errorf("%w: DAG node %s has %d links and %d block sizes", ErrInvalidManifest, c, len(links), fs.NumChildren())
	}
	n := &dagNode{links: make([]cid.Cid, len(links)), sizes: make([]int64, len(links))}
	for i, l := range links {
		bs := fs.BlockSize(i)
		if bs == 0 || bs > uint64(w.size) {
			return nil, fmt.Errorf("%w: DAG node %s: child %d of %d bytes", ErrInvalidManifest, c, i, bs)
		}
		if l.Cid.Type() == cid.Raw && l.Size != bs {
			return nil, fmt.Errorf("%w: DAG node %s: raw child %d links %d bytes but its block size is %d", ErrInvalidManifest, c, i, l.Size, bs)
		}
		n.links[i], n.sizes[i] = l.Cid, int64(bs)
		n.total += int64(bs)
		if n.total > w.size {
			return nil, fmt.Errorf("%w: DAG node %s holds more than the %d-byte file", ErrInvalidManifest, c, w.size)
		}
	}
	if fs.FileSize() != uint64(n.total) {
		return nil, fmt.Errorf("%w: DAG node %s says %d bytes, its block sizes sum to %d", ErrInvalidManifest, c, fs.FileSize(), n.total)
	}
	return n, nil
}
