package cli

import (
	"errors"
	"slices"
	"testing"

	"github.com/dstore-net/dstore/retrieval"
)

func TestReorderArgs(t *testing.T) {
	tests := []struct {
		name     string
		in, want []string
	}{
		{"flags after the CID", []string{"dstore", "get", "CID", "-o", "f"}, []string{"dstore", "get", "-o", "f", "CID"}},
		{"already in order", []string{"dstore", "--home", "h", "get", "-o", "f", "CID"}, []string{"dstore", "--home", "h", "get", "-o", "f", "CID"}},
		{"bool flag does not take the CID", []string{"dstore", "get", "--json", "CID", "--range=1-2"}, []string{"dstore", "get", "--json", "--range=1-2", "CID"}},
		{"global flag after the command", []string{"dstore", "get", "CID", "--home", "h"}, []string{"dstore", "--home", "h", "get", "CID"}},
		{"range value that looks like a flag", []string{"dstore", "get", "CID", "--range", "-10"}, []string{"dstore", "get", "--range", "-10", "CID"}},
		{"subcommand", []string{"dstore", "chain", "deploy", "x", "--rpc", "u"}, []string{"dstore", "chain", "deploy", "--rpc", "u", "x"}},
		{"after --", []string{"dstore", "get", "--", "-o"}, []string{"dstore", "get", "--", "-o"}},
		{"stdin", []string{"dstore", "cid", "-"}, []string{"dstore", "cid", "-"}},
		{"unknown flag left for the parser", []string{"dstore", "put", "x", "--bogus"}, []string{"dstore", "put", "--bogus", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reorderArgs(App(), tt.in); !slices.Equal(got, tt.want) {
				t.Fatalf("reorderArgs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestByteRange(t *testing.T) {
	const size = 1000
	tests := []struct {
		spec   string
		off, n int64
		err    string // "usage": a parse error; "range": outside the file
	}{
		{"0-0", 0, 1, ""},
		{"0-999", 0, 1000, ""},
		{"10-19", 10, 10, ""},
		{"990-", 990, 10, ""},
		{"-1", 999, 1, ""},
		{"-1000", 0, 1000, ""},
		{"999-999", 999, 1, ""},
		{"1000-", 0, 0, "range"},
		{"0-1000", 0, 0, "range"},
		{"-1001", 0, 0, "range"},
		{"5-4", 0, 0, "usage"},
		{"-0", 0, 0, "usage"},
		{"", 0, 0, "usage"},
		{"1", 0, 0, "usage"},
		{"a-b", 0, 0, "usage"},
		{"+1-2", 0, 0, "usage"},
		{"1--2", 0, 0, "usage"},
		{"99999999999999999999-", 0, 0, "usage"},
	}
	for _, tt := range tests {
		r, err := parseByteRange(tt.spec)
		if err != nil {
			if tt.err != "usage" {
				t.Fatalf("%q: %v", tt.spec, err)
			}
			continue
		}
		if tt.err == "usage" {
			t.Fatalf("%q parsed as %+v", tt.spec, r)
		}
		off, n, err := r.resolve(size)
		if tt.err == "range" {
			if !errors.Is(err, retrieval.ErrRange) {
				t.Fatalf("%q: %v, want a range error", tt.spec, err)
			}
			continue
		}
		if err != nil || off != tt.off || n != tt.n {
			t.Fatalf("%q: %d+%d (%v), want %d+%d", tt.spec, off, n, err, tt.off, tt.n)
		}
	}
}

// FuzzByteRange: any string parses or fails cleanly, and a resolved range lies inside the file.
func FuzzByteRange(f *testing.F) {
	for _, s := range []string{"0-0", "10-", "-5", "5-4", "", "-", "9223372036854775807-", "-9223372036854775807", "1-9223372036854775807"} {
		f.Add(s, int64(1000))
	}
	f.Fuzz(func(t *testing.T, s string, size int64) {
		r, err := parseByteRange(s)
		if err != nil {
			return
		}
		off, n, err := r.resolve(size)
		if err != nil {
			return
		}
		if off < 0 || n < 1 || off >= size || n > size-off {
			t.Fatalf("%q in %d bytes resolved to %d+%d", s, size, off, n)
		}
	})
}
