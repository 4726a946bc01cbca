package cli

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/devnet"
	"github.com/dstore-net/dstore/retrieval"
)

// TestMarketOverProcesses: a devnet whose node processes price their reads; the client deposits
// into the retrieval escrow, stores a file with `put --permanent` (an endowment paid once, the
// first term's slots filled by the providers), `status --json` shows the endowment and the years
// it funds, `get --max-price` reads the file back byte for byte paying the nodes with receipts,
// and the nodes' redemptions bring the escrow's redeemed amount to what the client signed for.
func TestMarketOverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	home := t.TempDir()
	d, err := startDevnet(t.Context(), devnet.Config{Home: home, Nodes: 3, K: 2, M: 1, Log: io.Discard, RetrievalPrice: "2"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	if code, _, errOut := dstore(t, "--home", home, "escrow", "deposit", "0.01ether"); code != 0 {
		t.Fatalf("escrow deposit: exit %d: %s", code, errOut)
	}

	src, sum := writeFile(t, t.TempDir(), "f", 300<<10, 11)
	code, out, errOut := dstore(t, "--home", home, "--json", "--quiet", "put", "--k", "2", "--m", "1", "--piece-size", "65536",
		"--permanent", "--duration", "4", "--proof-period", "30", "--price", "1gwei", "--fill-timeout", "1m", src)
	if code != 0 {
		t.Fatalf("put --permanent: exit %d: %s", code, errOut)
	}
	var put struct {
		Root      string `json:"root"`
		Permanent struct {
			Deal      string `json:"deal"`
			Endowment string `json:"endowment"`
		} `json:"permanent"`
		Deal struct {
			Escrow *big.Int `json:"escrow"`
		} `json:"deal"`
	}
	if err := json.Unmarshal([]byte(out), &put); err != nil || put.Permanent.Deal == "" {
		t.Fatalf("put --permanent --json: %v\n%s", err, out)
	}
	// 3 slots, 1 gwei a slot-period, a year of 2,629,800 blocks / 30 per period, / 0.5%.
	want := new(big.Int).Mul(big.NewInt(3*1e9*(2_629_800/30)), big.NewInt(200))
	endowment, _ := new(big.Int).SetString(put.Permanent.Endowment, 10)
	if endowment == nil || endowment.Cmp(want) != 0 {
		t.Fatalf("endowment %s wei, want %s", put.Permanent.Endowment, want)
	}

	code, out, errOut = dstore(t, "--home", home, "--json", "status", put.Root)
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var st struct {
		Deals []struct {
			Endowment *endowmentView `json:"endowment"`
		} `json:"deals"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.Deals) != 1 || st.Deals[0].Endowment == nil {
		t.Fatalf("status --json shows no endowment: %v\n%s", err, out)
	}
	e := st.Deals[0].Endowment
	if e.Balance != new(big.Int).Sub(endowment, put.Deal.Escrow).String() || e.Terms != 1 || e.YearsDeclining != -1 || e.YearsFlat < 199.9 {
		t.Fatalf("endowment in status: %+v (paid %s, first term's escrow %s)", e, endowment, put.Deal.Escrow)
	}

	if code, out, errOut = dstore(t, "--home", home, "status", put.Root); code != 0 || !strings.Contains(out, "permanent "+put.Permanent.Deal) || !strings.Contains(out, "forever at 0.50% cheaper a year") {
		t.Fatalf("status: exit %d: %s%s", code, out, errOut)
	}

	dst := filepath.Join(t.TempDir(), "copy")
	if code, _, errOut = dstore(t, "--home", home, "--quiet", "get", "--max-price", "2", "-o", dst, put.Root); code != 0 {
		t.Fatalf("get --max-price: exit %d: %s", code, errOut)
	}
	if fileSum(t, dst) != sum {
		t.Fatal("the paid read differs from the file stored")
	}
	// The gateway pays the nodes from its own escrow (the client's account here) and serves free.
	ep, err := chain.ReadEndpoint(filepath.Join(home, chain.EndpointFile))
	if err != nil {
		t.Fatal(err)
	}
	key, err := chain.LoadKey(filepath.Join(home, devnet.ClientKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	peers, err := d.File().AddrInfos()
	if err != nil {
		t.Fatal(err)
	}
	gw, closeGW, err := startGateway(t.Context(), peers, gatewayOptions{Listen: "127.0.0.1:0", CacheSize: 1 << 20, MaxRequests: 4,
		Timeout: 30 * time.Second, Logger: slog.New(slog.DiscardHandler), Pay: &retrieval.PayConfig{
			Signer: chain.TicketSigner{Key: key}, Verifier: chain.TicketVerifier{}, ChainID: ep.ChainID.Uint64(), Escrow: ep.Escrow, MaxPrice: 2}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + gw.Addr() + "/ipfs/" + put.Root)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || sha256.Sum256(body) != sum {
		t.Fatalf("gateway read: status %d, %d bytes, err %v", resp.StatusCode, len(body), err)
	}
	closeGW() // sends the last receipts
	gwSpent := new(big.Int)
	code, out, _ = dstore(t, "--home", home, "escrow", "status", "--json")
	var esc escrowReport
	if code != 0 || json.Unmarshal([]byte(out), &esc) != nil {
		t.Fatalf("escrow status: %s", out)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Second) {
		code, out, errOut = dstore(t, "--home", home, "escrow", "status", "--json")
		if code != 0 {
			t.Fatalf("escrow status: exit %d: %s", code, errOut)
		}
		if err := json.Unmarshal([]byte(out), &esc); err != nil {
			t.Fatal(err)
		}
		spent, _ := new(big.Int).SetString(esc.Spent, 10)
		redeemed, _ := new(big.Int).SetString(esc.Redeemed, 10)
		// At 2 wei a byte, the k = 2 shards of 150 KiB each read once: at least the file's size.
		if spent.Cmp(big.NewInt(2*300<<10)) < 0 {
			t.Fatalf("a read of 300 KiB at 2 wei a byte spent %s wei", spent)
		}
		// The gateway keeps no ledger file: what it spent is what was redeemed beyond the CLI's.
		// Each node redeems on its own clock, so wait until every node's part has come in.
		gwSpent.Sub(redeemed, spent)
		if gwSpent.Cmp(big.NewInt(2*300<<10)) >= 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the nodes did not redeem what the client and the gateway signed for: the gateway's read of 300 KiB at 2 wei a byte brought %s wei (%+v)", gwSpent, esc)
		}
	}
	t.Logf("endowment %s wei, %v years at today's price; get paid %s wei, the gateway %s wei, all redeemed", endowment, e.YearsFlat, esc.Spent, gwSpent)
}
