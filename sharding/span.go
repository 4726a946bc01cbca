package sharding

// PieceRange is the part of one data piece that holds some of a byte range.
type PieceRange struct {
	Segment, Piece int
	Offset, Length int64 // inside the piece
}

// Span maps the file bytes [off, off+n) (clipped to the file) to the data pieces that hold them, in
// file order: one range per run of the segment's layout (see Layout) that holds some of them. Parity pieces are never named: they are needed only when a data piece is lost.
func (m *Manifest) Span(off, n int64) []PieceRange {
	if off < 0 || n <= 0 || off >= m.Size || m.K < 1 || m.PieceSize < 1 {
		return nil
	}
	end := min(off+n, m.Size)
	if end < off { // overflow
		end = m.Size
	}
	ss := m.SegmentSize()
	var out []PieceRange
	for pos := off; pos < end; {
		j := int(pos / ss)
		segOff := int64(j) * ss
		l := m.SegmentLayout(j)
		local := pos - segOff
		i, inPiece := l.Locate(local)
		take := min(l.Unit-local%l.Unit, end-pos)
		out = append(out, PieceRange{Segment: j, Piece: i, Offset: inPiece, Length: take})
		pos += take
	}
	return out
}
