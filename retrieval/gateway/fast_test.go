package gateway_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/retrieval/gateway"
)

// The fast path answers exactly as boxo's handler does: two gateways over the same nodes, one
// with the fast path and one without, get the same requests (each path read once before, so the
// fast one has learned it) and give the same status, headers and body. Requests the fast path
// must leave to boxo are among them, and it must have answered the plain ones itself.
func TestFastPathAnswersAsBoxo(t *testing.T) {
	nodes, _ := site(t, gateway.Config{})
	newGateway := func(fast bool) (*gateway.Server, string) {
		gw, err := gateway.New(gateway.Config{Source: newClient(t, nodes)})
		if err != nil {
			t.Fatal(err)
		}
		if !fast {
			gateway.NoFastPath(gw)
		}
		srv := httptest.NewServer(gw.Handler())
		t.Cleanup(srv.Close)
		return gw, srv.URL
	}
	fastGW, fastURL := newGateway(true)
	_, boxoURL := newGateway(false)

	base := "/ipfs/" + siteRoot
	big := base + "/docs/deep/big.bin"
	// big.bin's own CID, from the roots boxo names for its path.
	resp, _ := fetch(t, boxoURL+big)
	roots := strings.Split(resp.Header.Get("X-Ipfs-Roots"), ",")
	bigCID := "/ipfs/" + roots[len(roots)-1]
	etag := resp.Header.Get("Etag")
	bigLen := len(readFile(t, "docs/deep/big.bin"))

	cases := []struct {
		name, method, path string
		header             []string
		fast               bool // the fast path must answer it
	}{
		{"file in a directory", "GET", big, nil, true},
		{"file by its CID", "GET", bigCID, nil, true},
		{"small file, type by extension", "GET", base + "/assets/style.css", nil, true},
		{"html file", "GET", base + "/index.html", nil, true},
		{"browser Accept", "GET", base + "/assets/app.js", []string{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}, true},
		{"HEAD", "HEAD", big, nil, true},
		{"range inside a leaf", "GET", big, []string{"Range", "bytes=10-1000"}, true},
		{"range across segments", "GET", big, []string{"Range", "bytes=131000-131200"}, true},
		{"range across leaves", "GET", big, []string{"Range", "bytes=262000-262300"}, true},
		{"open range", "GET", big, []string{"Range", "bytes=5-"}, true},
		{"suffix range", "GET", big, []string{"Range", "bytes=-100"}, true},
		{"range past the end", "GET", big, []string{"Range", "bytes=" + itoa(bigLen+10) + "-"}, false},
		{"HEAD with a range", "HEAD", big, []string{"Range", "bytes=0-99"}, true},
		{"malformed range", "GET", big, []string{"Range", "bytes=abc"}, false},
		{"reversed range", "GET", big, []string{"Range", "bytes=5-2"}, false},
		{"two ranges", "GET", big, []string{"Range", "bytes=0-1,5-6"}, false},
		{"If-None-Match", "GET", big, []string{"If-None-Match", etag}, false},
		{"other If-None-Match", "GET", big, []string{"If-None-Match", `"nope"`}, false},
		{"only-if-cached", "GET", big, []string{"Cache-Control", "only-if-cached"}, false},
		{"raw block", "GET", bigCID + "?format=raw", nil, false},
		{"raw block by Accept", "GET", bigCID, []string{"Accept", "application/vnd.ipld.raw"}, false},
		{"CAR by Accept", "GET", big, []string{"Accept", "text/html, application/vnd.ipld.car;version=1"}, false},
		{"tar by Accept", "GET", big, []string{"Accept", "application/x-tar"}, false},
		{"CAR", "GET", big + "?format=car", nil, false},
		{"directory index", "GET", base + "/", nil, false},
		{"directory listing", "GET", base + "/docs/", nil, false},
		{"directory without slash", "GET", base + "/docs", nil, false},
		{"download name", "GET", big + "?filename=x.bin&download=true", nil, false},
		{"missing file", "GET", base + "/nope.txt", nil, false},
		{"subdomain", "GET", "/docs/deep/big.bin", []string{"Host", siteRoot + ".ipfs.localhost"}, false},
		{"path on the subdomain host", "GET", big, []string{"Host", "localhost"}, false},
	}
	do := func(url, method string, header []string) (*http.Response, []byte) {
		req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(header); i += 2 {
			if header[i] == "Host" {
				req.Host = header[i+1]
				continue
			}
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no redirects followed
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, _, _ := strings.Cut(tc.path, "?")
			var learn []string
			for _, name := range []string{"Accept", "Host"} {
				if i := slices.Index(tc.header, name); i >= 0 {
					learn = append(learn, tc.header[i:i+2]...)
				}
			}
			do(fastURL+p, "GET", learn) // boxo answers first, the fast path learns
			before := gateway.FastServed(fastGW)
			want, wantBody := do(boxoURL+tc.path, tc.method, tc.header)
			got, gotBody := do(fastURL+tc.path, tc.method, tc.header)
			if fast := gateway.FastServed(fastGW) > before; fast != tc.fast {
				t.Fatalf("answered by the fast path: %v, want %v", fast, tc.fast)
			}
			if got.StatusCode != want.StatusCode {
				t.Fatalf("status %d, boxo %d", got.StatusCode, want.StatusCode)
			}
			for _, h := range []http.Header{got.Header, want.Header} {
				h.Del("Date")
			}
			for name := range mergeKeys(got.Header, want.Header) {
				if !slices.Equal(got.Header[name], want.Header[name]) {
					t.Errorf("%s: %q, boxo %q", name, got.Header[name], want.Header[name])
				}
			}
			if !bytes.Equal(gotBody, wantBody) {
				t.Fatalf("body of %d bytes, boxo %d", len(gotBody), len(wantBody))
			}
		})
	}
	if gateway.FastServed(fastGW) == 0 {
		t.Fatal("the fast path answered nothing")
	}
}

func mergeKeys(a, b http.Header) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}
