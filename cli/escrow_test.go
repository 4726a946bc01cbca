package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/devnet"
	"time"

	"github.com/dstore-net/dstore/chain"
)

// TestEscrowCommands: `dstore escrow deposit`, `status --json` and `withdraw` against contracts
// deployed by `dstore chain deploy` on a JSON-RPC chain: the withdrawal is announced, refused
// within the delay, then paid; bad input is one sentence.
func TestEscrowCommands(t *testing.T) {
	dir := t.TempDir()
	url, keyFile := startRPCChain(t, dir)
	home := filepath.Join(dir, "home")
	const delay = 40 // blocks of 100 ms
	if code, _, errOut := dstore(t, "--home", home, "chain", "deploy", "--rpc", url, "--key", keyFile, "--escrow-delay", "40"); code != 0 {
		t.Fatalf("deploy: exit %d: %s", code, errOut)
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, devnet.ClientKeyFile), key, 0o600); err != nil {
		t.Fatal(err)
	}
	status := func() escrowReport {
		t.Helper()
		code, out, errOut := dstore(t, "--home", home, "escrow", "status", "--json")
		if code != 0 {
			t.Fatalf("escrow status: exit %d: %s", code, errOut)
		}
		var r escrowReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("escrow status --json: %v\n%s", err, out)
		}
		return r
	}

	for _, bad := range [][]string{{"deposit"}, {"deposit", "lots"}, {"deposit", "0"}} {
		code, _, errOut := dstore(t, append([]string{"--home", home, "escrow"}, bad...)...)
		if code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Fatalf("escrow %v: exit %d, %q: want a usage error of one line", bad, code, errOut)
		}
	}
	if code, _, errOut := dstore(t, "--home", home, "escrow", "withdraw"); code != 1 || !strings.Contains(errOut, "nothing to withdraw") {
		t.Fatalf("withdraw of nothing: exit %d: %q", code, errOut)
	}
	if code, _, errOut := dstore(t, "--home", home, "escrow", "deposit", "1gwei"); code != 0 {
		t.Fatalf("deposit: exit %d: %s", code, errOut)
	}
	if r := status(); r.Deposited != "1000000000" || r.Available != "1000000000" || r.Spent != "0" || r.Redeemed != "0" || r.Delay != delay {
		t.Fatalf("status after the deposit: %+v", r)
	}
	code, out, errOut := dstore(t, "--home", home, "escrow", "withdraw")
	if code != 0 || !strings.Contains(out, "announced") {
		t.Fatalf("withdraw: exit %d: %s%s", code, out, errOut)
	}
	if code, _, errOut = dstore(t, "--home", home, "escrow", "withdraw"); code != 1 || !strings.Contains(errOut, "pays out from block") {
		t.Fatalf("withdraw within the delay: exit %d: %q", code, errOut)
	}
	unlock := status().UnlockBlock
	b, err := chain.Dial(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for deadline := time.Now().Add(time.Minute); ; {
		head, err := b.BlockNumber(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if head >= unlock {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("head %d never reached block %d", head, unlock)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if code, out, errOut = dstore(t, "--home", home, "escrow", "withdraw"); code != 0 || !strings.Contains(out, "withdrew 1000000000 wei") {
		t.Fatalf("withdraw after the delay: exit %d: %s%s", code, out, errOut)
	}
	if r := status(); r.Withdrawn != "1000000000" || r.Available != "0" || r.UnlockBlock != 0 {
		t.Fatalf("status after the withdrawal: %+v", r)
	}
}
