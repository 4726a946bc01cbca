package sharding

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	chunk "github.com/ipfs/boxo/chunker"
	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	"github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
	"golang.org/x/sync/errgroup"
)

// Segment is one encoded segment handed to the caller while the file streams.
type Segment struct {
	Index     int
	Offset    int64      // file offset of the segment's first byte
	Length    int64      // data bytes in this segment (the last one may be short)
	PieceSize int64      // size of each of its K+M pieces
	Pieces    [][]byte   // K+M pieces, freshly allocated for this segment: the callee may keep them
	Hashes    [][32]byte // SHA-256 of each piece
}

// Import reads r once. The bytes go through boxo's UnixFS importer (the root equals
// `ipfs add --cid-version=1` with the same chunk size) and are cut into segments that are
// erasure-coded and handed to fn in order, from one goroutine that is not the caller's (a segment is
// encoded while the next one is read). Each Segment's pieces are fresh, so fn may keep them.
// Memory is bounded by a segment and its pieces plus the DAG's internal nodes, never by the file.
// The returned manifest has no placement.
func Import(ctx context.Context, r io.Reader, p Params, fn func(Segment) error) (*Manifest, error) {
	p = p.WithDefaults()
	dag := newCollector(true)
	var root cid.Cid
	hashes, size, err := encodeStream(ctx, r, p, fn, func(s io.Reader) error {
		nd, err := buildDAGWith(s.(*segmenter), dag)
		if err != nil {
			return fmt.Errorf("unixfs import: %w", err)
		}
		root = nd.Cid()
		return nil
	})
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Version:   ManifestVersion,
		Root:      root,
		Size:      size,
		ChunkSize: p.ChunkSize,
		K:         p.K,
		M:         p.M,
		PieceSize: p.PieceSize,
		Segments:  hashes,
	}
	m.StripeSize = p.manifestStripe()
	if root.Type() == cid.DagProtobuf {
		order, err := walkDAG(root, size, p.ChunkSize, dag.get, nil)
		if err != nil {
			return nil, fmt.Errorf("the importer built a DAG this package does not accept: %w", err)
		}
		for _, c := range order {
			m.DAG = append(m.DAG, dag.nodes[c])
		}
	}
	return m, nil
}

// encodeStream reads r once through consume, which must read it to the end. The bytes are cut into
// segments that are erasure-coded and handed to fn in order, from one goroutine that is not the
// caller's (a segment is encoded while the next one is read). It returns the pieces' hashes and
// the number of bytes read. Memory is bounded by three segment buffers, never by the stream.
func encodeStream(ctx context.Context, r io.Reader, p Params, fn func(Segment) error, consume func(io.Reader) error) ([][][32]byte, int64, error) {
	if err := p.Validate(); err != nil {
		return nil, 0, err
	}
	enc, err := NewErasure(p.K, p.M)
	if err != nil {
		return nil, 0, err
	}
	// consume reads; one worker erasure-codes full segments behind it. At most three segment
	// buffers exist: filling, queued, encoding.
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan segJob, 1)
	// Without fn nobody keeps the pieces: the three buffers go round instead of one a segment.
	var free chan []byte
	if fn == nil {
		free = make(chan []byte, 3)
	}
	var hashes [][][32]byte
	stripe := p.manifestStripe()
	g.Go(func() error {
		var spare []byte // a striped segment's pieces are dealt into it from the buffer read
		for job := range jobs {
			if err := gctx.Err(); err != nil {
				return err
			}
			if l := layoutFor(p.K, pieceSizeFor(int64(job.n), p.K, p.PieceSize, stripe), stripe); l.Unit < l.PieceSize {
				if len(spare) != len(job.buf) {
					spare = make([]byte, len(job.buf))
				}
				clear(spare[:int64(l.K)*l.PieceSize])
				l.Scatter(spare, 0, job.buf[:job.n])
				job.buf, spare = spare, job.buf
			}
			seg, err := encodeBuffer(enc, job.index, job.off, job.buf, job.n, p.PieceSize, stripe, job.heads)
			if err == nil && fn != nil {
				err = fn(seg)
			}
			if err != nil {
				return err
			}
			hashes = append(hashes, seg.Hashes)
			select {
			case free <- job.buf:
			default:
			}
		}
		return nil
	})
	s := &segmenter{ctx: gctx, r: r, p: p, jobs: jobs, free: free}
	cerr := consume(s)
	if cerr == nil && s.err == nil {
		s.err = s.send()
	}
	close(jobs)
	if err := g.Wait(); err != nil {
		return nil, 0, err
	}
	if s.err != nil { // the importer may wrap or drop our own errors: ours come first
		return nil, 0, s.err
	}
	if cerr != nil {
		return nil, 0, cerr
	}
	return hashes, s.size, nil
}

// RootCID computes only the root CID of r's bytes, as `ipfs add --cid-version=1 --chunker
// size-<chunkSize>` would (0 means DefaultChunkSize).
func RootCID(ctx context.Context, r io.Reader, chunkSize int64) (cid.Cid, error) {
	if chunkSize == 0 {
		chunkSize = DefaultChunkSize
	}
	if chunkSize < 1 || chunkSize > MaxChunkSize {
		return cid.Undef, fmt.Errorf("%w: chunk size %d, want 1 to %d bytes", ErrInvalidParams, chunkSize, MaxChunkSize)
	}
	cr := &ctxReader{ctx: ctx, r: r}
	nd, err := buildDAG(cr, chunkSize, newCollector(false))
	if cr.err != nil {
		return cid.Undef, cr.err
	}
	if err != nil {
		return cid.Undef, fmt.Errorf("unixfs import: %w", err)
	}
	return nd.Cid(), nil
}

// EncodeSegment re-encodes segment idx of the file that m describes from r. Only m's parameters and
// size are used, so m may be a manifest still being built. It is used to backfill a shard onto a
// replacement node.
func EncodeSegment(r io.ReaderAt, m *Manifest, idx int) (Segment, error) {
	return encodeSegmentWith(r, m, idx, nil, nil)
}

// EncodePieces is EncodeSegment for a complete manifest m, without hashing the pieces again: the
// segment's Hashes are m's. A reader of the pieces checks them; an uploader sends them to nodes that
// check them against m before they acknowledge them.
func EncodePieces(r io.ReaderAt, m *Manifest, idx int) (Segment, error) {
	return EncodePiecesInto(r, m, idx, nil)
}

// EncodePiecesInto is EncodePieces into buf, reused when it holds the segment's K+M pieces
// (m.PieceSize*(K+M) bytes always do): the pieces are slices of buf, valid until it is reused.
func EncodePiecesInto(r io.ReaderAt, m *Manifest, idx int, buf []byte) (Segment, error) {
	if idx < 0 || idx >= len(m.Segments) {
		return Segment{}, fmt.Errorf("%w: segment %d, the manifest hashes %d", ErrSegmentRange, idx, len(m.Segments))
	}
	return encodeSegmentWith(r, m, idx, m.Segments[idx], buf)
}

func encodeSegmentWith(r io.ReaderAt, m *Manifest, idx int, hashes [][32]byte, buf []byte) (Segment, error) {
	if err := m.Params().Validate(); err != nil {
		return Segment{}, err
	}
	if n := m.NumSegments(); idx < 0 || idx >= n {
		return Segment{}, fmt.Errorf("%w: segment %d of %d", ErrSegmentRange, idx, n)
	}
	enc, err := NewErasure(m.K, m.M)
	if err != nil {
		return Segment{}, err
	}
	length := m.SegmentLength(idx)
	off := int64(idx) * m.SegmentSize()
	l := m.SegmentLayout(idx)
	ps := l.PieceSize
	if need := (m.K + m.M) * int(ps); cap(buf) >= need {
		buf = buf[:need]
		clear(buf[length : m.K*int(ps)]) // the padding of a short segment
	} else {
		buf = make([]byte, need)
	}
	// A striped segment is read unit by unit into its place in the pieces.
	if l.Unit < ps {
		clear(buf[:m.K*int(ps)])
	}
	if err := l.ReadAt(r, buf, off, length); err != nil {
		return Segment{}, fmt.Errorf("reading segment %d at offset %d: %w", idx, off, err)
	}
	if hashes == nil {
		return encodeBuffer(enc, idx, off, buf, int(length), m.PieceSize, m.StripeSize, nil)
	}
	pieces, err := enc.EncodeBuffer(buf, int(ps))
	if err != nil {
		return Segment{}, fmt.Errorf("segment %d: %w", idx, err)
	}
	return Segment{Index: idx, Offset: off, Length: length, PieceSize: ps, Pieces: pieces, Hashes: hashes}, nil
}

// encodeBuffer encodes a segment of n data bytes whose data pieces (in their layout, padded with
// zeros) start buf. buf holds K+M pieces of the segment's piece size, or of full pieceSize for a
// short last segment, which is then moved to a buffer of its own size. heads, if not nil, holds for
// each data piece the hash state of its first bytes, which the importer hashed already as a leaf
// (see pieceHead); they hold only for pieces of pieceSize bytes.
func encodeBuffer(enc *Erasure, idx int, off int64, buf []byte, n int, pieceSize, stripe int64, heads []pieceHead) (Segment, error) {
	ps := pieceSizeFor(int64(n), enc.K(), pieceSize, stripe)
	if want := (enc.K() + enc.M()) * int(ps); len(buf) != want {
		small := make([]byte, want)
		copy(small, buf[:enc.K()*int(ps)])
		buf = small
	}
	pieces, err := enc.EncodeBuffer(buf, int(ps))
	if err != nil {
		return Segment{}, fmt.Errorf("segment %d: %w", idx, err)
	}
	if ps != pieceSize {
		heads = nil
	}
	hashes := make([][32]byte, len(pieces))
	var wg sync.WaitGroup
	for i := range pieces {
		if i < len(heads) && heads[i].h != nil {
			wg.Go(func() { hashes[i] = heads[i].finish(pieces[i]) })
			continue
		}
		wg.Go(func() { hashes[i] = pieceSum(pieces[i]) })
	}
	wg.Wait()
	return Segment{Index: idx, Offset: off, Length: int64(n), PieceSize: ps, Pieces: pieces, Hashes: hashes}, nil
}

// pieceSum is sha256.Sum256(b), fed in blocks of 64 KiB: the assembly that hashes a block cannot
// be preempted, and a collection waiting to stop a goroutine hashing a whole MiB spins meanwhile.
func pieceSum(b []byte) [32]byte {
	if len(b) <= hashBlock {
		return sha256.Sum256(b)
	}
	h := sha256.New()
	writeBlocks(h, b)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

const hashBlock = 64 << 10

// writeBlocks writes b to h in blocks of hashBlock bytes (see pieceSum).
func writeBlocks(h hash.Hash, b []byte) {
	for len(b) > 0 {
		n := min(len(b), hashBlock)
		h.Write(b[:n])
		b = b[n:]
	}
}

// pieceHead is the SHA-256 state of a data piece's first n bytes. When a data piece starts with a
// leaf (pieces of whole chunks in the plain layout, or stripes of whole chunks), the importer and
// the piece hash the same bytes first: the segmenter hashes them once, gives the leaf its sum
// (leafSums) and keeps the state, which the encoder finishes with the rest of the piece.
type pieceHead struct {
	h hash.Hash
	n int
}

// finish is the SHA-256 of piece, whose first n bytes the state has hashed.
func (p pieceHead) finish(piece []byte) [32]byte {
	writeBlocks(p.h, piece[p.n:])
	var sum [32]byte
	p.h.Sum(sum[:0])
	return sum
}

// leafSums is the importer's CID builder: a raw leaf whose bytes the segmenter has just hashed as
// the head of a piece gets that sum; every other block is hashed as V1Builder hashes it.
type leafSums struct {
	cid.V1Builder
	s *segmenter
}

var _ cid.Builder = leafSums{}

func (b leafSums) Sum(data []byte) (cid.Cid, error) {
	if h := b.s.head; b.Codec == cid.Raw && len(data) > 0 && len(data) == len(h.data) && &data[0] == &h.data[0] {
		b.s.head.data = nil
		mhash, err := mh.Encode(h.sum[:], mh.SHA2_256)
		if err != nil {
			return cid.Undef, err
		}
		return cid.NewCidV1(cid.Raw, mhash), nil
	}
	return b.V1Builder.Sum(data)
}

func (b leafSums) WithCodec(c uint64) cid.Builder {
	b.Codec = c
	return b
}

// segJob is a filled segment buffer on its way to the encoder.
type segJob struct {
	index int
	off   int64
	buf   []byte // (K+M)*PieceSize bytes, data first
	n     int    // data bytes
	heads []pieceHead
}

// segmenter sits between r and the UnixFS chunker: every byte read is also copied into the current
// segment's buffer, which goes to the encoder when full.
type segmenter struct {
	ctx   context.Context
	r     io.Reader
	p     Params
	jobs  chan<- segJob
	free  <-chan []byte // buffers to reuse, if any
	buf   []byte        // current segment, taken or allocated on its first byte
	n     int           // data bytes in buf
	size  int64
	index int
	err   error
	chunk []byte      // NextBytes's buffer for a chunk that spans two segments, reused
	eof   bool        // NextBytes has returned the last chunk
	heads []pieceHead // the current segment's data pieces hashed so far as leaves, if any
	head  struct {    // the chunk last returned, if it starts a data piece, and its SHA-256
		data []byte
		sum  [32]byte
	}
}

// Reader and NextBytes make the segmenter the importer's splitter (fixed-size chunks, as boxo's
// SizeSplitter cuts them) without a buffer a chunk: a chunk that fits in the current segment is
// read straight into the segment's buffer, and one that spans two segments into one reused
// buffer, then copied. The importer hashes a leaf when it makes its node and keeps only its CID
// (the collector drops leaves), so a chunk's bytes are not needed once the next is asked for.
func (s *segmenter) Reader() io.Reader { return s }

func (s *segmenter) NextBytes() ([]byte, error) {
	if s.eof {
		return nil, io.EOF
	}
	size := int(s.p.ChunkSize)
	dataCap := int(s.p.SegmentSize())
	if s.buf == nil && s.err == nil {
		s.take()
	}
	var b []byte
	var n int
	var err error
	s.head.data = nil
	if s.buf != nil && dataCap-s.n >= size {
		b = s.buf[s.n : s.n+size]
		n, err = io.ReadFull(readerFunc(s.readRaw), b)
		if n == size {
			// A chunk that starts a data piece: the first unit of each in the layout.
			l := layoutFor(s.p.K, s.p.PieceSize, s.p.manifestStripe())
			if piece, col := l.Locate(int64(s.n)); col == 0 && int64(size) <= l.Unit {
				s.hashHead(b, piece)
			}
		}
		s.n += n
		if s.n == dataCap {
			if serr := s.send(); serr != nil {
				s.err = serr
				return nil, serr
			}
		}
	} else {
		if s.chunk == nil {
			s.chunk = make([]byte, size)
		}
		b = s.chunk
		n, err = io.ReadFull(s, b)
	}
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, io.ErrUnexpectedEOF) && s.err == nil:
		s.eof = true
		return b[:n], nil
	case errors.Is(err, io.EOF) && s.err == nil:
		s.eof = true
		return nil, io.EOF
	default:
		return nil, err
	}
}

// hashHead hashes chunk b, which starts data piece i, for both the leaf and the piece.
func (s *segmenter) hashHead(b []byte, i int) {
	if s.heads == nil {
		s.heads = make([]pieceHead, s.p.K)
	}
	h := sha256.New()
	writeBlocks(h, b)
	s.heads[i] = pieceHead{h: h, n: len(b)}
	s.head.data = b
	h.Sum(s.head.sum[:0])
}

// readRaw reads the file into b, counting its size and keeping its first error, without copying
// into the segment.
func (s *segmenter) readRaw(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if err := s.ctx.Err(); err != nil {
		s.err = err
		return 0, err
	}
	n, err := s.r.Read(b)
	s.size += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = fmt.Errorf("reading the file: %w", err)
		return n, s.err
	}
	return n, err
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }

// take gives the segmenter a buffer for its next segment.
func (s *segmenter) take() {
	select {
	case s.buf = <-s.free:
	default:
		s.buf = make([]byte, (s.p.K+s.p.M)*int(s.p.PieceSize))
	}
}

// Read reads the file into b (readRaw) and copies what it read into the segments.
func (s *segmenter) Read(b []byte) (int, error) {
	n, err := s.readRaw(b)
	dataCap := int(s.p.SegmentSize())
	for rest := b[:n]; len(rest) > 0; {
		if s.buf == nil {
			s.take()
		}
		c := copy(s.buf[s.n:dataCap], rest)
		s.n += c
		rest = rest[c:]
		if s.n == dataCap {
			if serr := s.send(); serr != nil {
				s.err = serr
				return 0, serr
			}
		}
	}
	return n, err
}

// send hands the buffered segment (if any) to the encoder.
func (s *segmenter) send() error {
	if s.n == 0 {
		return nil
	}
	clear(s.buf[s.n:s.p.SegmentSize()]) // the padding of a short last segment, in a reused buffer
	job := segJob{index: s.index, off: int64(s.index) * s.p.SegmentSize(), buf: s.buf, n: s.n, heads: s.heads}
	select {
	case s.jobs <- job:
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
	s.index++
	s.buf, s.n, s.heads = nil, 0, nil
	return nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
	err error
}

func (c *ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		c.err = err
		return 0, err
	}
	n, err := c.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = fmt.Errorf("reading the file: %w", err)
		return n, c.err
	}
	return n, err
}

// buildDAG runs boxo's balanced importer with kubo's CIDv1 settings.
func buildDAG(r io.Reader, chunkSize int64, ds ipld.DAGService) (ipld.Node, error) {
	return buildDAGWith(chunk.NewSizeSplitter(r, chunkSize), ds)
}

// buildDAGWith is buildDAG with the chunks of spl. A segmenter's leaves that start a piece come
// hashed already (leafSums).
func buildDAGWith(spl chunk.Splitter, ds ipld.DAGService) (ipld.Node, error) {
	var b cid.Builder = cid.V1Builder{Codec: cid.DagProtobuf, MhType: mh.SHA2_256}
	if s, ok := spl.(*segmenter); ok {
		b = leafSums{V1Builder: b.(cid.V1Builder), s: s}
	}
	dbp := helpers.DagBuilderParams{
		Dagserv:    ds,
		Maxlinks:   helpers.DefaultLinksPerBlock,
		RawLeaves:  true,
		CidBuilder: b,
	}
	db, err := dbp.New(spl)
	if err != nil {
		return nil, err
	}
	return balanced.Layout(db)
}

// collector is the importer's DAGService: it keeps internal dag-pb nodes (if asked) and drops leaves.
type collector struct {
	keep  bool
	nodes map[cid.Cid][]byte
}

var _ ipld.DAGService = (*collector)(nil)

func newCollector(keep bool) *collector { return &collector{keep: keep, nodes: map[cid.Cid][]byte{}} }

func (c *collector) get(k cid.Cid) ([]byte, bool) { b, ok := c.nodes[k]; return b, ok }

func (c *collector) Add(_ context.Context, n ipld.Node) error {
	if _, ok := n.(*merkledag.ProtoNode); ok && c.keep {
		c.nodes[n.Cid()] = n.RawData()
	}
	return nil
}

func (c *collector) AddMany(ctx context.Context, ns []ipld.Node) error {
	for _, n := range ns {
		if err := c.Add(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (c *collector) Get(_ context.Context, k cid.Cid) (ipld.Node, error) {
	if b, ok := c.nodes[k]; ok {
		if pn, err := merkledag.DecodeProtobuf(b); err == nil {
			pn.SetCidBuilder(k.Prefix())
			return pn, nil
		}
	}
	return nil, ipld.ErrNotFound{Cid: k}
}

func (c *collector) GetMany(_ context.Context, ks []cid.Cid) <-chan *ipld.NodeOption {
	ch := make(chan *ipld.NodeOption, len(ks))
	for _, k := range ks {
		n, err := c.Get(context.Background(), k)
		ch <- &ipld.NodeOption{Node: n, Err: err}
	}
	close(ch)
	return ch
}

func (c *collector) Remove(context.Context, cid.Cid) error       { return nil }
func (c *collector) RemoveMany(context.Context, []cid.Cid) error { return nil }
