package gateway

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// FuzzSimpleRange: a Range header the fast path takes and finds satisfiable is one range that
// http.ServeContent answers with 206 (anything else goes to boxo), and one it finds unsatisfiable
// in a file that is not empty is answered 416.
func FuzzSimpleRange(f *testing.F) {
	for _, s := range []string{"bytes=0-0", "bytes=10-1000", "bytes=-100", "bytes=5-", "bytes=5-2", "bytes=abc",
		"bytes=0-1,5-6", "bytes=-0", "bytes=0-99999999999999999999", "bytes= 1-2", "bytes=+1-2", "bytes=1000-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !simpleRange(v) {
			return
		}
		for _, size := range []int64{0, 1, 1000} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Range", v)
			rec := httptest.NewRecorder()
			http.ServeContent(rec, req, "", time.Time{}, bytes.NewReader(make([]byte, size)))
			want := http.StatusRequestedRangeNotSatisfiable
			if satisfiable(v, size) {
				want = http.StatusPartialContent
			} else if size == 0 {
				continue
			}
			if rec.Code != want || want == http.StatusPartialContent && int64(rec.Body.Len()) > size {
				t.Fatalf("Range %q on %d bytes: ServeContent %d, satisfiable says %d", v, size, rec.Code, want)
			}
		}
	})
}

// The fast path's records stay bounded however many paths are read.
func TestFastRecordsBounded(t *testing.T) {
	f := newFastPath(nil, nil, 1, time.Second)
	for i := range maxFastEntries + 100 {
		f.record(fastKey{path: "/ipfs/x/" + strconv.Itoa(i)}, http.Header{})
	}
	if len(f.entries) != maxFastEntries {
		t.Fatalf("%d records, want at most %d", len(f.entries), maxFastEntries)
	}
}

// A file's leaves are kept as their cache keys; the CID made back from a key, which reads a leaf
// evicted since the check through the block store, is the leaf's own.
func TestFastFileLeafCIDs(t *testing.T) {
	f := &fastFile{}
	var want []cid.Cid
	for i := range 3 {
		c, err := cid.NewPrefixV1(cid.Raw, mh.SHA2_256).Sum([]byte{byte(i)})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, c)
		f.keys = append(f.keys, string(c.Hash()))
	}
	for i, c := range want {
		if got := f.leaf(i); !got.Equals(c) {
			t.Fatalf("leaf %d: %s, want %s", i, got, c)
		}
	}
}
