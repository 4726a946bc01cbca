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
	Hashes    [][32]byte // the hash of each piece (PieceChunks, or the manifest's scheme)

	release func() // hands the pieces' buffer back to Import; nil elsewhere
}

// Release tells Import, which made s, that its pieces are no longer used: Import may read a later
// segment into their buffer. Without it the buffer is garbage once the pieces are; Release is
// optional, and a no-op for segments made elsewhere.
func (s Segment) Release() {
	if s.release != nil {
		s.release()
	}
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
		seg := s.(*segmenter)
		seg.layOut()
		nd, err := buildDAGWith(seg, dag)
		if err != nil {
			return fmt.Errorf("unixfs import: %w", err)
		}
		root = nd.Cid()
		return nil
	})
	if err != nil {
		return nil, err
	}
	m := Shape(size, p)
	m.Root, m.Segments = root, hashes
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

// Shape returns the manifest of a file of size bytes cut with p as Import cuts it, without its
// root, piece hashes or DAG: enough to size its shards and to encode its pieces (EncodeSegment)
// while the file is still being imported.
func Shape(size int64, p Params) *Manifest {
	p = p.WithDefaults()
	return &Manifest{
		Version:    ManifestVersion,
		Size:       size,
		ChunkSize:  p.ChunkSize,
		K:          p.K,
		M:          p.M,
		PieceSize:  p.PieceSize,
		PieceHash:  PieceChunks,
		StripeSize: p.manifestStripe(),
	}
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
	// With fn, whose callee holds segments of its own, the reader hands a segment over only when
	// the encoder takes it: one buffer fewer in flight.
	jobs := make(chan segJob, 1)
	if fn != nil {
		jobs = make(chan segJob)
	}
	// Without fn nobody keeps the pieces: the three buffers go round instead of one a segment. fn
	// may keep them and hand their buffer back (Segment.Release), as many as it holds at once.
	free := make(chan []byte, 3)
	if fn != nil {
		free = make(chan []byte, 4)
	}
	var hashes [][][32]byte
	stripe := p.manifestStripe()
	g.Go(func() error {
		var spare []byte // a striped segment's pieces are dealt into it from the buffer read
		for job := range jobs {
			if err := gctx.Err(); err != nil {
				return err
			}
			l := layoutFor(p.K, pieceSizeFor(int64(job.n), p.K, p.PieceSize, stripe), stripe)
			if job.laid && l.PieceSize == p.PieceSize {
				l = Layout{} // a full segment read into its pieces' places: nothing to deal
			} else if job.laid {
				// A short last segment read in the places of a full one: back in order first.
				if len(spare) != len(job.buf) {
					spare = make([]byte, len(job.buf))
				}
				layoutFor(p.K, p.PieceSize, stripe).Gather(spare[:job.n], job.buf, 0)
				clear(spare[job.n:p.SegmentSize()])
				job.buf, spare = spare, job.buf
			}
			if l.Unit < l.PieceSize {
				if len(spare) != len(job.buf) {
					spare = make([]byte, len(job.buf))
				}
				if data := int64(l.K) * l.PieceSize; int64(job.n) < data {
					clear(spare[:data]) // the padding of a short segment; a full one is all written
				}
				l.Scatter(spare, 0, job.buf[:job.n])
				job.buf, spare = spare, job.buf
			}
			seg, err := encodeBuffer(enc, job.index, job.off, job.buf, job.n, p.PieceSize, stripe, pieceHasher{scheme: PieceChunks, chunk: p.ChunkSize, known: job.sums})
			recycle := func(buf []byte) {
				select {
				case free <- buf:
				default:
				}
			}
			if err == nil && fn != nil {
				buf := job.buf
				var once sync.Once
				seg.release = func() { once.Do(func() { recycle(buf) }) }
				err = fn(seg)
			}
			if err != nil {
				return err
			}
			hashes = append(hashes, seg.Hashes)
			if fn == nil {
				recycle(job.buf)
			}
		}
		return nil
	})
	s := &segmenter{ctx: gctx, r: r, p: p, jobs: jobs, free: free, layout: layoutFor(p.K, p.PieceSize, stripe)}
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
	// A striped segment is read unit by unit into its place in the pieces: a short one's padding
	// lies between the units.
	if l.Unit < ps && length < int64(m.K)*ps {
		clear(buf[:m.K*int(ps)])
	}
	if err := l.ReadAt(r, buf, off, length); err != nil {
		return Segment{}, fmt.Errorf("reading segment %d at offset %d: %w", idx, off, err)
	}
	if hashes == nil {
		return encodeBuffer(enc, idx, off, buf, int(length), m.PieceSize, m.StripeSize, pieceHasher{scheme: m.PieceHash, chunk: m.ChunkSize})
	}
	pieces, err := enc.EncodeBuffer(buf, int(ps))
	if err != nil {
		return Segment{}, fmt.Errorf("segment %d: %w", idx, err)
	}
	return Segment{Index: idx, Offset: off, Length: length, PieceSize: ps, Pieces: pieces, Hashes: hashes}, nil
}

// encodeBuffer encodes a segment of n data bytes whose data pieces (in their layout, padded with
// zeros) start buf. buf holds K+M pieces of the segment's piece size, or of full pieceSize for a
// short last segment, which is then moved to a buffer of its own size. The pieces are hashed with
// h; h.known, the data chunks the importer hashed already as leaves, holds only for pieces of
// pieceSize bytes.
func encodeBuffer(enc *Erasure, idx int, off int64, buf []byte, n int, pieceSize, stripe int64, h pieceHasher) (Segment, error) {
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
		h.known = nil
	}
	hashes := make([][32]byte, len(pieces))
	var wg sync.WaitGroup
	for i := range pieces {
		wg.Go(func() { hashes[i] = h.sum(i, pieces[i]) })
	}
	wg.Wait()
	return Segment{Index: idx, Offset: off, Length: int64(n), PieceSize: ps, Pieces: pieces, Hashes: hashes}, nil
}

// pieceHasher hashes a segment's pieces in a manifest's scheme.
type pieceHasher struct {
	scheme PieceHash
	chunk  int64      // the manifest's chunk size
	known  *chunkSums // PieceChunks: the SHA-256 of data chunks hashed already, or nil
}

// sum is the hash of piece i of the segment (Manifest.PieceSum for any i without known sums).
func (h pieceHasher) sum(i int, piece []byte) [32]byte {
	if h.scheme != PieceChunks {
		return pieceSum(piece)
	}
	return chunkedSum(piece, h.chunk, h.known.piece(i))
}

// chunkSums holds the SHA-256 of the data chunks of one segment that the importer hashed as
// leaves, by data piece and chunk of the piece.
type chunkSums struct {
	perPiece int // chunks in a full piece
	sums     [][32]byte
	have     []bool
}

func newChunkSums(k int, pieceSize, chunkSize int64) *chunkSums {
	per := int((pieceSize + chunkSize - 1) / chunkSize)
	return &chunkSums{perPiece: per, sums: make([][32]byte, k*per), have: make([]bool, k*per)}
}

// piece returns data piece i's chunk sums and which of them are known; none for a parity piece.
func (c *chunkSums) piece(i int) knownSums {
	if c == nil || (i+1)*c.perPiece > len(c.sums) {
		return knownSums{}
	}
	lo, hi := i*c.perPiece, (i+1)*c.perPiece
	return knownSums{sums: c.sums[lo:hi], have: c.have[lo:hi]}
}

// knownSums are the chunk sums of one piece known before it is hashed.
type knownSums struct {
	sums [][32]byte
	have []bool
}

// chunkedSum is the PieceChunks hash of piece: the SHA-256 of the SHA-256 of each chunkSize
// bytes of it, taking the sums known has for its chunks.
func chunkedSum(piece []byte, chunkSize int64, known knownSums) [32]byte {
	outer := sha256.New()
	var inner hash.Hash
	var sum [32]byte
	for c, off := 0, int64(0); off < int64(len(piece)); c, off = c+1, off+chunkSize {
		if c < len(known.have) && known.have[c] {
			outer.Write(known.sums[c][:])
			continue
		}
		if inner == nil {
			inner = sha256.New()
		} else {
			inner.Reset()
		}
		writeBlocks(inner, piece[off:min(off+chunkSize, int64(len(piece)))])
		outer.Write(inner.Sum(sum[:0]))
	}
	outer.Sum(sum[:0])
	return sum
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

// leafSums is the importer's CID builder: a raw leaf whose bytes the segmenter has just hashed as
// a chunk of a data piece gets that sum; every other block is hashed as V1Builder hashes it.
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
	buf   []byte     // (K+M)*PieceSize bytes, data first
	n     int        // data bytes
	sums  *chunkSums // the data chunks hashed as leaves, if any
	laid  bool       // buf holds the bytes in their places in the full segment's pieces
}

// segmenter sits between r and the UnixFS chunker: every byte read is also copied into the current
// segment's buffer, which goes to the encoder when full.
type segmenter struct {
	ctx    context.Context
	r      io.Reader
	p      Params
	jobs   chan<- segJob
	free   <-chan []byte // buffers to reuse, if any
	buf    []byte        // current segment, taken or allocated on its first byte
	n      int           // data bytes in buf
	size   int64
	index  int
	err    error
	chunk  []byte     // NextBytes's buffer for a chunk that spans two segments, reused
	eof    bool       // NextBytes has returned the last chunk
	layout Layout     // of a full segment
	laid   bool       // chunks are read straight into their places in the pieces (layOut)
	sums   *chunkSums // the current segment's data chunks hashed so far as leaves, if any
	hasher hash.Hash  // SHA-256, reused
	head   struct {   // the chunk last returned, if it lies whole in a data piece, and its SHA-256
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
		b = s.place(s.n, size)
		n, err = io.ReadFull(readerFunc(s.readRaw), b)
		if n == size {
			// A chunk that is a chunk of a data piece too: at a chunk offset of the piece, in one unit
			// of the layout.
			if piece, col := s.layout.Locate(int64(s.n)); col%int64(size) == 0 && col%s.layout.Unit+int64(size) <= s.layout.Unit {
				s.hashChunk(b, piece, int(col/int64(size)))
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

// layOut makes NextBytes read each chunk straight into its place in the segment's data pieces, so
// that the encoder need not deal a full segment out: when the stripes of the layout hold whole
// chunks and no chunk spans two segments (Read, which copies in order, is then never used).
func (s *segmenter) layOut() {
	c := s.p.ChunkSize
	s.laid = s.layout.Unit < s.layout.PieceSize && s.layout.Unit%c == 0 && s.p.SegmentSize()%c == 0
}

// place returns the n bytes of the current segment's buffer that hold its bytes [at, at+n), which
// lie in one unit of the layout when the segmenter is laid out.
func (s *segmenter) place(at, n int) []byte {
	if !s.laid {
		return s.buf[at : at+n]
	}
	piece, col := s.layout.Locate(int64(at))
	start := piece*int(s.layout.PieceSize) + int(col)
	return s.buf[start : start+n]
}

// hashChunk hashes chunk b, chunk c of data piece i, for both the leaf and the piece.
func (s *segmenter) hashChunk(b []byte, i, c int) {
	if s.sums == nil {
		s.sums = newChunkSums(s.p.K, s.p.PieceSize, s.p.ChunkSize)
	}
	if s.hasher == nil {
		s.hasher = sha256.New()
	}
	s.hasher.Reset()
	writeBlocks(s.hasher, b)
	s.hasher.Sum(s.head.sum[:0])
	s.head.data = b
	k := i*s.sums.perPiece + c
	s.sums.sums[k], s.sums.have[k] = s.head.sum, true
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
	if !s.laid {
		clear(s.buf[s.n:s.p.SegmentSize()]) // the padding of a short last segment, in a reused buffer
	}
	job := segJob{index: s.index, off: int64(s.index) * s.p.SegmentSize(), buf: s.buf, n: s.n, sums: s.sums, laid: s.laid}
	select {
	case s.jobs <- job:
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
	s.index++
	s.buf, s.n, s.sums = nil, 0, nil
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
