package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
)

var testRoot = cid.MustParse("bafkreicz4lc53mkuxcgtmw4gt2r37hwdrjpgkj6hradymr4r7nlrdcah5i")

func TestRequestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		q    Request
	}{
		{"store", Request{Root: testRoot, Shard: 5, Segment: 1 << 20, Sum: [32]byte{1, 2, 3}, Size: 1 << 20}},
		{"range", Request{Root: testRoot, Shard: 255, Off: 100, N: 4096}},
		{"to the end", Request{Root: testRoot, N: -1}},
		{"manifest", Request{Size: 12345}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadRequest(bufio.NewReader(bytes.NewReader(EncodeRequest(tt.q))))
			if err != nil {
				t.Fatal(err)
			}
			if got.Root.Defined() != tt.q.Root.Defined() || (got.Root.Defined() && !got.Root.Equals(tt.q.Root)) {
				t.Fatalf("root %v, want %v", got.Root, tt.q.Root)
			}
			got.Root = tt.q.Root
			if got != tt.q {
				t.Fatalf("got %+v, want %+v", got, tt.q)
			}
		})
	}
}

func TestRequestRejects(t *testing.T) {
	good := EncodeRequest(Request{Root: testRoot, Shard: 1, N: -1})
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrProtocol},
		{"bad version", append([]byte{9}, good[1:]...), ErrProtocol},
		{"truncated", good[:len(good)-3], ErrProtocol},
		{"huge root", []byte{1, 0xff, 0xff, 0x03}, ErrTooLarge},
		{"shard out of range", EncodeRequest(Request{Root: testRoot, Shard: 256}), ErrTooLarge},
		{"piece too large", EncodeRequest(Request{Root: testRoot, Size: MaxPieceSize*2 + 1}), ErrTooLarge},
		{"not a CID", append([]byte{1, 3}, 0xde, 0xad, 0xbe), ErrProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadRequest(bufio.NewReader(bytes.NewReader(tt.b)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzReadRequest(f *testing.F) {
	f.Add(EncodeRequest(Request{Root: testRoot, Shard: 3, Segment: 9, N: -1, Size: 77}))
	f.Add(EncodeRequest(Request{}))
	f.Add([]byte{1, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := ReadRequest(bufio.NewReader(bytes.NewReader(b)))
		if err != nil {
			return
		}
		if q.Shard < 0 || q.Shard >= maxShards || q.Size < 0 || q.Size > MaxManifestSize || q.N < -1 || q.N > MaxPieceSize {
			t.Fatalf("out-of-bound request accepted: %+v", q)
		}
		again, err := ReadRequest(bufio.NewReader(bytes.NewReader(EncodeRequest(q))))
		if err != nil || again.Shard != q.Shard || again.Size != q.Size || again.N != q.N || again.Sum != q.Sum {
			t.Fatalf("re-encoding changed %+v into %+v (%v)", q, again, err)
		}
	})
}

func FuzzReadResponse(f *testing.F) {
	f.Add(EncodeResponse(Response{Code: statusOK, Size: 10}))
	f.Add(EncodeResponse(Response{Code: statusCorrupt, Msg: "bad"}))
	f.Add([]byte{1, 0, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadResponse(bufio.NewReader(bytes.NewReader(b)))
		if err != nil {
			return
		}
		if len(s.Msg) > maxMsgSize || s.Size < 0 || s.Size > MaxManifestSize {
			t.Fatalf("out-of-bound response accepted: %+v", s)
		}
		again, err := ReadResponse(bufio.NewReader(bytes.NewReader(EncodeResponse(s))))
		if err != nil || again != s {
			t.Fatalf("re-encoding changed %+v into %+v (%v)", s, again, err)
		}
	})
}

func TestStatusRoundTrip(t *testing.T) {
	for _, want := range []error{ErrNotFound, ErrCorrupt, ErrTooLarge, ErrBadRequest, ErrInternal, ErrHashMismatch, ErrBusy, ErrFull, ErrPaymentRequired} {
		t.Run(want.Error(), func(t *testing.T) {
			code := StatusOf(fmt.Errorf("context: %w", want))
			if got := (&RemoteError{Code: code}); !errors.Is(got, want) {
				t.Fatalf("%v became status %d, which reads back as %v", want, code, got.Unwrap())
			}
		})
	}
	if !errors.Is(&RemoteError{Code: 200}, ErrInternal) {
		t.Fatal("an unknown status is not ErrInternal")
	}
}

func TestScrubInfoRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		s    ScrubInfo
	}{
		{"never", ScrubInfo{}},
		{"scrubbed", ScrubInfo{Last: time.Unix(1_800_000_000, 0).UTC(), Damaged: 2, Repaired: 7}},
		{"most", ScrubInfo{Last: time.Unix(maxScrubTime, 0).UTC(), Damaged: 1<<32 - 1, Repaired: 1<<32 - 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeScrubInfo(EncodeScrubInfo(tt.s))
			if err != nil || got != tt.s {
				t.Fatalf("got %+v (%v), want %+v", got, err, tt.s)
			}
		})
	}
	for _, b := range [][]byte{nil, make([]byte, ScrubInfoSize-1), make([]byte, ScrubInfoSize+1),
		append(binary.BigEndian.AppendUint64(nil, maxScrubTime+1), make([]byte, 8)...),
		append(binary.BigEndian.AppendUint64(nil, 1<<63), make([]byte, 8)...)} {
		if _, err := DecodeScrubInfo(b); !errors.Is(err, ErrProtocol) {
			t.Fatalf("%x: %v, want ErrProtocol", b, err)
		}
	}
}

func FuzzDecodeScrubInfo(f *testing.F) {
	f.Add(EncodeScrubInfo(ScrubInfo{Last: time.Unix(1_800_000_000, 0), Damaged: 1, Repaired: 3}))
	f.Add(make([]byte, ScrubInfoSize))
	f.Add([]byte{0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeScrubInfo(b)
		if err != nil {
			return
		}
		if !s.Last.IsZero() && (s.Last.Unix() <= 0 || s.Last.Unix() > maxScrubTime) {
			t.Fatalf("out-of-bound scrub time accepted: %v", s.Last)
		}
		if again := EncodeScrubInfo(s); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding changed %x into %x", b, again)
		}
	})
}
