package bindings

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sourcesFingerprint recomputes what generate.sh records: the sha256 of the
// `sha256sum` listing of the contract sources and build files, sorted by name.
func sourcesFingerprint(t testing.TB, dir string) string {
	t.Helper()
	sols, err := filepath.Glob(filepath.Join(dir, "*.sol"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"package.json", "package-lock.json", "compile.js", "generate.sh"}
	for _, s := range sols {
		names = append(names, filepath.Base(s))
	}
	slices.SortFunc(names, strings.Compare) // LC_ALL=C sort: byte order
	var listing strings.Builder
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&listing, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	sum := sha256.Sum256([]byte(listing.String()))
	return hex.EncodeToString(sum[:])
}

func TestBindingsMatchSources(t *testing.T) {
	got := sourcesFingerprint(t, filepath.Join("..", "contracts"))
	if got != SourcesSHA256 {
		t.Fatalf("chain/bindings were generated from other sources (recorded %s, now %s): run `go generate ./chain/...` and commit the result", SourcesSHA256, got)
	}
}

func TestBindingsCarryBytecode(t *testing.T) {
	for _, tc := range []struct {
		name string
		bin  string
	}{
		{name: "Marketplace", bin: MarketplaceMetaData.Bin},
		{name: "Groth16Verifier", bin: Groth16VerifierMetaData.Bin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.bin) < 100 || !strings.HasPrefix(tc.bin, "0x") {
				t.Fatalf("%s binding has no deployable bytecode", tc.name)
			}
		})
	}
}
