package netns_test

import (
	"testing"

	"github.com/dstore-net/dstore/cli/netns"
)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want int64
		bad  bool
	}{
		{name: "mbit", in: "200mbit", want: 200e6},
		{name: "gbit", in: "1gbit", want: 1e9},
		{name: "fraction", in: "1.5Mbit", want: 1.5e6},
		{name: "kbit", in: "64kbit", want: 64e3},
		{name: "bits", in: "1000", want: 1000},
		{name: "none", in: "0", want: 0},
		{name: "negative", in: "-1mbit", bad: true},
		{name: "unit only", in: "mbit", bad: true},
		{name: "bytes", in: "10MB", bad: true},
		{name: "huge", in: "5000gbit", bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := netns.ParseRate(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("%q accepted as %d", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("%q: %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}
