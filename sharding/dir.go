package sharding

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	uio "github.com/ipfs/boxo/ipld/unixfs/io"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

// Tree is a directory tree imported as UnixFS, before it is stored: its root CID, its internal
// blocks, and its raw leaves, which are the bytes of its files concatenated in Files order (a
// file that occurs twice with the same content is stored once).
type Tree struct {
	Root      cid.Cid
	ChunkSize int64
	Blocks    []Block    // every distinct dag-pb node, root first, then depth-first
	Stream    []Leaf     // the files' leaves in stream order
	Files     []TreeFile // the files whose bytes make up the stream, in order
	Size      int64      // bytes of the stream
}

// TreeFile is one file of a Tree's stream.
type TreeFile struct {
	Path         string // on disk
	Offset, Size int64  // in the stream
	FileOffset   int64  // where the bytes start in the file (a block inside a CAR)
}

// MaxTreeEntries bounds the files, directories and symlinks of one imported tree.
const MaxTreeEntries = 1 << 20

// ImportDir imports the directory dir as UnixFS with the CIDs that
// `ipfs add -r --cid-version=1 --chunker size-<chunkSize>` gives (0 means DefaultChunkSize):
// raw leaves, balanced files, directories that become HAMT shards above kubo's threshold, hidden
// files (names starting with a dot) skipped and symlinks stored as UnixFS symlinks, as kubo does.
// It reads every file once and keeps only the DAG's internal nodes in memory.
func ImportDir(ctx context.Context, dir string, chunkSize int64) (*Tree, error) {
	if chunkSize == 0 {
		chunkSize = DefaultChunkSize
	}
	if chunkSize < 1 || chunkSize > MaxChunkSize {
		return nil, fmt.Errorf("%w: chunk size %d, want 1 to %d bytes", ErrInvalidParams, chunkSize, MaxChunkSize)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	b := &treeBuilder{ctx: ctx, chunk: chunkSize, dag: newCollector(true), files: map[cid.Cid]bool{}, t: &Tree{ChunkSize: chunkSize}}
	root, err := b.dir(dir)
	if err != nil {
		return nil, err
	}
	b.t.Root = root.Cid()
	// Blocks in canonical order: root first, then depth-first, first occurrence.
	seen := map[cid.Cid]bool{}
	var visit func(c cid.Cid) error
	visit = func(c cid.Cid) error {
		if c.Type() != cid.DagProtobuf || seen[c] {
			return nil
		}
		seen[c] = true
		data, ok := b.dag.get(c)
		if !ok {
			return fmt.Errorf("the importer lost the DAG node %s", c)
		}
		b.t.Blocks = append(b.t.Blocks, Block{CID: c, Data: data})
		pn, err := merkledag.DecodeProtobuf(data)
		if err != nil {
			return err
		}
		for _, l := range pn.Links() {
			if err := visit(l.Cid); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(b.t.Root); err != nil {
		return nil, err
	}
	return b.t, nil
}

type treeBuilder struct {
	ctx     context.Context
	chunk   int64
	dag     *collector
	files   map[cid.Cid]bool // file roots already in the stream
	entries int
	t       *Tree
}

var cidV1 = cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256}

func (b *treeBuilder) count() error {
	b.entries++
	if b.entries > MaxTreeEntries {
		return fmt.Errorf("the tree has more than %d entries", MaxTreeEntries)
	}
	return b.ctx.Err()
}

func (b *treeBuilder) dir(path string) (ipld.Node, error) {
	if err := b.count(); err != nil {
		return nil, err
	}
	d, err := uio.NewDirectory(b.dag, uio.WithCidBuilder(cidV1))
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(path, e.Name())
		var child ipld.Node
		switch t := e.Type(); {
		case t.IsDir():
			child, err = b.dir(p)
		case t&fs.ModeSymlink != 0:
			child, err = b.symlink(p)
		case t.IsRegular():
			child, err = b.file(p)
		default:
			err = fmt.Errorf("%s is neither a file, a directory nor a symlink", p)
		}
		if err != nil {
			return nil, err
		}
		if err := d.AddChild(b.ctx, e.Name(), child); err != nil {
			return nil, fmt.Errorf("adding %s: %w", p, err)
		}
	}
	nd, err := d.GetNode()
	if err != nil {
		return nil, err
	}
	if err := b.dag.Add(b.ctx, nd); err != nil {
		return nil, err
	}
	return nd, nil
}

func (b *treeBuilder) symlink(path string) (ipld.Node, error) {
	if err := b.count(); err != nil {
		return nil, err
	}
	target, err := os.Readlink(path)
	if err != nil {
		return nil, err
	}
	data, err := unixfs.SymlinkData(target)
	if err != nil {
		return nil, err
	}
	nd := merkledag.NodeWithData(data)
	if err := nd.SetCidBuilder(cidV1); err != nil {
		return nil, err
	}
	if err := b.dag.Add(b.ctx, nd); err != nil {
		return nil, err
	}
	return nd, nil
}

func (b *treeBuilder) file(path string) (ipld.Node, error) {
	if err := b.count(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := &ctxReader{ctx: b.ctx, r: f}
	nd, err := buildDAG(cr, b.chunk, b.dag)
	if cr.err != nil {
		return nil, fmt.Errorf("%s: %w", path, cr.err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: unixfs import: %w", path, err)
	}
	if b.files[nd.Cid()] {
		return nd, nil
	}
	b.files[nd.Cid()] = true
	size, err := fileSize(nd)
	if err != nil {
		return nil, err
	}
	base := b.t.Size
	if nd.Cid().Type() == cid.Raw {
		b.t.Stream = append(b.t.Stream, Leaf{Offset: base, Size: size, CID: nd.Cid()})
	} else if _, err := walkDAG(nd.Cid(), size, b.chunk, b.dag.get, func(l Leaf) error {
		l.Offset += base
		b.t.Stream = append(b.t.Stream, l)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.t.Files = append(b.t.Files, TreeFile{Path: path, Offset: base, Size: size})
	b.t.Size += size
	return nd, nil
}

// fileSize is the byte size of a file the importer built.
func fileSize(nd ipld.Node) (int64, error) {
	if pn, ok := nd.(*merkledag.ProtoNode); ok {
		fsn, err := unixfs.FSNodeFromBytes(pn.Data())
		if err != nil {
			return 0, err
		}
		return int64(fsn.FileSize()), nil
	}
	return int64(len(nd.RawData())), nil
}

// ImportTree reads t's files once, checks every leaf against its CID (a file that changed since
// ImportDir is refused), cuts the stream into erasure-coded segments handed to fn as Import does,
// and returns the version 2 manifest of the tree (without placement).
func ImportTree(ctx context.Context, t *Tree, p Params, fn func(Segment) error) (*Manifest, error) {
	p = p.WithDefaults()
	p.ChunkSize = t.ChunkSize
	r := t.Open()
	defer r.Close()
	v := &LeafVerifier{leaves: t.Stream, h: sha256.New()}
	hashes, size, err := encodeStream(ctx, io.TeeReader(io.NewSectionReader(r, 0, t.Size), v), p, fn, func(s io.Reader) error {
		_, err := io.Copy(io.Discard, s)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrLeafMismatch) {
			return nil, fmt.Errorf("a file changed during the upload: %w", err)
		}
		return nil, err
	}
	if err := v.Close(); err != nil {
		return nil, fmt.Errorf("a file changed during the upload: %w", err)
	}
	m := Shape(size, p)
	m.Version, m.Root, m.Segments, m.Blocks, m.Stream = ManifestVersionDAG, t.Root, hashes, t.Blocks, t.Stream
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Open returns a reader of t's stream: its files' bytes, concatenated. Close it when done.
func (t *Tree) Open() *TreeReader { return &TreeReader{t: t} }

// TreeReader reads a Tree's stream at random; it keeps the last file it read open.
type TreeReader struct {
	t    *Tree
	mu   sync.Mutex
	path string // of the open file
	file *os.File
}

var _ io.ReaderAt = (*TreeReader)(nil)

// ReadAt reads the stream bytes at off.
func (r *TreeReader) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for len(p) > 0 {
		if off >= r.t.Size {
			return n, io.EOF
		}
		i := r.find(off)
		f := r.t.Files[i]
		if r.file == nil || r.path != f.Path {
			if r.file != nil {
				r.file.Close()
				r.file = nil
			}
			h, err := os.Open(f.Path)
			if err != nil {
				return n, err
			}
			r.file, r.path = h, f.Path
		}
		want := min(int64(len(p)), f.Offset+f.Size-off)
		got, err := r.file.ReadAt(p[:want], f.FileOffset+off-f.Offset)
		n += got
		off += int64(got)
		p = p[got:]
		if int64(got) < want {
			if err == nil || errors.Is(err, io.EOF) {
				err = fmt.Errorf("%s is shorter than when it was imported: %w", f.Path, io.ErrUnexpectedEOF)
			}
			return n, err
		}
	}
	return n, nil
}

// find returns the index of the file holding stream offset off (binary search; empty files are
// never chosen since they hold no offset).
func (r *TreeReader) find(off int64) int {
	lo, hi := 0, len(r.t.Files)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if r.t.Files[mid].Offset <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	for lo < len(r.t.Files)-1 && r.t.Files[lo].Offset+r.t.Files[lo].Size <= off {
		lo++
	}
	return lo
}

// Close closes the file the reader keeps open.
func (r *TreeReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.file != nil {
		err := r.file.Close()
		r.file = nil
		return err
	}
	return nil
}
