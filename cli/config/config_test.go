package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/cli/config"
)

func TestLookup(t *testing.T) {
	f, err := config.Parse("c.yaml", []byte("log-level: info\nnode:\n  max-storage: 5GiB\n  run:\n    listen: [/ip4/1.2.3.4/tcp/1, /ip4/1.2.3.4/udp/1/quic-v1]\n  empty:\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		path  []string
		want  []string
		where string
	}{
		{name: "top level", path: []string{"log-level"}, want: []string{"info"}, where: "c.yaml:1"},
		{name: "section", path: []string{"node", "max-storage"}, want: []string{"5GiB"}, where: "c.yaml:3"},
		{name: "list", path: []string{"node", "run", "listen"}, want: []string{"/ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/udp/1/quic-v1"}, where: "c.yaml:5"},
		{name: "missing", path: []string{"node", "listen"}},
		{name: "empty section", path: []string{"node", "empty", "x"}},
		{name: "a value is no section", path: []string{"log-level", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := f.Lookup(tt.path...)
			if ok != (tt.want != nil) || !reflect.DeepEqual(v.Strings, tt.want) || v.Where != tt.where {
				t.Fatalf("Lookup(%v) = %+v, %v", tt.path, v, ok)
			}
		})
	}
}

func TestBadFiles(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{name: "not a mapping", text: "- a\n- b\n", want: "c.yaml:1: want settings"},
		{name: "nested list", text: "a: [[1]]\n", want: "c.yaml:1: a: a list holds plain values only"},
		{name: "too deep", text: "a:\n  b:\n    c:\n      d: 1\n", want: "c.yaml:4: sections nested too deep"},
		{name: "not yaml", text: "a: [\n", want: "config c.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse("c.yaml", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// The default file parses (only comments and sections), and is never written over.
func TestWriteDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), config.FileName)
	secs := []config.Section{
		{Settings: []config.Setting{{Name: "log-level", Default: "warn", Usage: "how much to log"}}},
		{Path: []string{"node", "run"}, Settings: []config.Setting{{Name: "listen", Default: []string{"/ip4/127.0.0.1/tcp/0"}, Usage: "where"}, {Name: "k", Default: 4, Usage: "shards"}}},
	}
	if err := config.WriteDefault(path, "header", secs); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if keys := f.Keys(); len(keys) != 0 {
		t.Fatalf("the default sets %v; want everything commented out", keys)
	}
	b, _ := os.ReadFile(path)
	for _, want := range []string{"# log-level: warn", "node:\n  run:\n    # where\n    # listen: [/ip4/127.0.0.1/tcp/0]", "# k: 4"} {
		if !strings.Contains(string(b), want) {
			t.Fatalf("default file lacks %q:\n%s", want, b)
		}
	}
	if err := config.WriteDefault(path, "header", secs); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("second write: %v", err)
	}
}
