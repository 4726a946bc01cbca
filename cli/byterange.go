package cli

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dstore-net/dstore/retrieval"
)

// byteRange is a byte range as HTTP writes it: "START-END" (inclusive), "START-" (to the end) or
// "-N" (the last N bytes).
type byteRange struct {
	start, end int64 // end < 0: to the end of the file
	suffix     int64 // > 0: the last suffix bytes (start and end unused)
}

// parseByteRange parses START-END, START- or -N (decimal byte offsets).
func parseByteRange(s string) (*byteRange, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return nil, errors.New("want START-END, START- or -N")
	}
	num := func(x string) (int64, error) {
		if x == "" || strings.TrimLeft(x, "0123456789") != "" {
			return 0, fmt.Errorf("%q is not a byte offset", x)
		}
		v, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is too large", x)
		}
		return v, nil
	}
	if a == "" {
		n, err := num(b)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, errors.New("the last 0 bytes are no bytes")
		}
		return &byteRange{suffix: n}, nil
	}
	start, err := num(a)
	if err != nil {
		return nil, err
	}
	if b == "" {
		return &byteRange{start: start, end: -1}, nil
	}
	end, err := num(b)
	if err != nil {
		return nil, err
	}
	if end < start {
		return nil, fmt.Errorf("ends at %d, before its start %d", end, start)
	}
	return &byteRange{start: start, end: end}, nil
}

// resolve returns the offset and length of r in a file of size bytes; a range that does not lie
// inside the file is a *retrieval.RangeError.
func (r *byteRange) resolve(size int64) (off, n int64, err error) {
	switch {
	case r.suffix > 0:
		off, n = size-r.suffix, r.suffix
	case r.end < 0:
		off, n = r.start, size-r.start
		if r.start >= size {
			n = 1 // at least one byte is asked for
		}
	default:
		off, n = r.start, r.end-r.start+1
		if r.end == math.MaxInt64 { // end-start+1 would overflow
			n = r.end - r.start
		}
	}
	if off < 0 || off >= size || n < 1 || n > size-off {
		return 0, 0, &retrieval.RangeError{Off: off, N: n, Size: size}
	}
	return off, n, nil
}
