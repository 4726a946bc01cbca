package prover

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedVerifierMatchesDevnetKeys: the committed Solidity verifier
// must be the export of the DevnetParams keys a fresh clone derives (set up
// once per machine, ~30 s, then cached in $DSTORE_KEYS). Regenerate with
// `go generate ./prover/...`.
func TestCommittedVerifierMatchesDevnetKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the DevnetParams keys")
	}
	committed, err := os.ReadFile(filepath.Join("..", "chain", "contracts", "Groth16Verifier.sol"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := LoadOrSetup(context.Background(), DevnetParams)
	if err != nil {
		t.Fatal(err)
	}
	var fresh bytes.Buffer
	if err := ExportSolidity(&fresh, k.VK, DevnetParams); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, fresh.Bytes()) {
		t.Fatal("chain/contracts/Groth16Verifier.sol is stale: run `go generate ./prover/...`")
	}
}

// TestDevSetupDeterministic: two setups of the same circuit give the same keys.
func TestDevSetupDeterministic(t *testing.T) {
	p := Params{Samples: 1, MaxDepth: 2, CellSize: 31}
	ccs, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	var vks [2]bytes.Buffer
	for i := range vks {
		_, vk, err := DevSetup(ccs, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := ExportSolidity(&vks[i], &VerifyingKey{vk}, p); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(vks[0].Bytes(), vks[1].Bytes()) {
		t.Fatal("dev setup is not deterministic")
	}
}
