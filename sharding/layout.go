package sharding

import (
	"errors"
	"io"
)

// Layout maps the bytes of one segment to its K data pieces. The segment is cut into units of Unit
// bytes, dealt to the data pieces in turn: unit q goes to piece q mod K, at offset (q div K)*Unit.
// A range of the segment is then spread over all K pieces, the same columns of each, so a read
// that replaces a lost or slow data piece by a parity piece fetches no more bytes than one that
// does not (a Reed-Solomon decode needs the same columns of any K pieces). With Unit equal to the
// piece size it is the plain layout, piece i holding bytes [i*PieceSize, (i+1)*PieceSize).
type Layout struct {
	K         int
	PieceSize int64 // of this segment's pieces
	Unit      int64 // PieceSize is a multiple of it
}

// SegmentLayout is the layout of segment j: units of StripeSize bytes (a short last segment's may
// be smaller), or the plain layout when the manifest has no stripe size or the segment's pieces
// are no larger than one unit.
func (m *Manifest) SegmentLayout(j int) Layout {
	ps := m.SegmentPieceSize(j)
	return layoutFor(m.K, ps, m.StripeSize)
}

// layoutFor is the layout of pieces of ps bytes (pieceSizeFor's): ps is a whole number of units,
// as few as fit in stripe bytes each.
func layoutFor(k int, ps, stripe int64) Layout {
	u := ps
	if stripe > 0 && ps > stripe {
		u = ps / ((ps + stripe - 1) / stripe)
	}
	return Layout{K: k, PieceSize: ps, Unit: u}
}

// Locate returns the data piece holding byte b of the segment, and its offset in that piece.
func (l Layout) Locate(b int64) (piece int, col int64) {
	q := b / l.Unit
	return int(q % int64(l.K)), q/int64(l.K)*l.Unit + b%l.Unit
}

// Columns returns, for each data piece, the range [from[i], to[i]) of its bytes that hold some of
// the segment bytes [lo, hi); from[i] == to[i] when piece i holds none of them. Only the first and
// the last unit of the range can be partial, so each piece's part is one run of its bytes.
func (l Layout) Columns(lo, hi int64) (from, to []int64) {
	from, to = make([]int64, l.K), make([]int64, l.K)
	if hi <= lo || l.Unit <= 0 {
		return from, to
	}
	k := int64(l.K)
	qa, qb := lo/l.Unit, (hi-1)/l.Unit
	for i := range k {
		q1 := qa + (i-qa%k+k)%k // the first unit of piece i at or after qa
		q2 := qb - (qb%k-i+k)%k // the last unit of piece i at or before qb
		if q1 > q2 {
			continue
		}
		f, t := q1/k*l.Unit, q2/k*l.Unit+l.Unit
		if q1 == qa {
			f += lo - qa*l.Unit
		}
		if q2 == qb {
			t -= (qb+1)*l.Unit - hi
		}
		from[i], to[i] = f, t
	}
	return from, to
}

// Scatter copies src, the segment bytes from offset off on, into pieces, which holds the K data
// pieces one after another (K*PieceSize bytes).
func (l Layout) Scatter(pieces []byte, off int64, src []byte) {
	l.walk(off, int64(len(src)), func(at, n int64, piece []byte) { copy(piece, src[at:at+n]) }, pieces)
}

// Gather copies the segment bytes from offset off on out of pieces (laid out as for Scatter) into
// dst, len(dst) bytes.
func (l Layout) Gather(dst []byte, pieces []byte, off int64) {
	l.walk(off, int64(len(dst)), func(at, n int64, piece []byte) { copy(dst[at:at+n], piece) }, pieces)
}

// walk calls fn for each run of the segment bytes [off, off+n) that lies in one unit: at is the
// run's offset from off, piece its bytes in pieces.
func (l Layout) walk(off, n int64, fn func(at, n int64, piece []byte), pieces []byte) {
	if l.Unit == l.PieceSize { // the plain layout: one run
		fn(0, n, pieces[off:off+n])
		return
	}
	for pos := off; pos < off+n; {
		i, col := l.Locate(pos)
		run := min(l.Unit-pos%l.Unit, off+n-pos)
		start := int64(i)*l.PieceSize + col
		fn(pos-off, run, pieces[start:start+run])
		pos += run
	}
}

// ReadAt reads the n segment bytes that start at offset off of r into pieces (laid out as for
// Scatter), each run straight into its place.
func (l Layout) ReadAt(r io.ReaderAt, pieces []byte, off, n int64) error {
	var err error
	l.walk(0, n, func(at, n int64, piece []byte) {
		if err != nil {
			return
		}
		if got, rerr := r.ReadAt(piece, off+at); int64(got) < n {
			if rerr == nil || errors.Is(rerr, io.EOF) {
				rerr = io.ErrUnexpectedEOF
			}
			err = rerr
		}
	}, pieces)
	return err
}
