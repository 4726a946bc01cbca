package retrieval_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/chain/chaintest"
	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/deals"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/retrieval"
)

// paidNetwork is six storage nodes that price their reads, each paid through the escrow as one
// provider account of e.
type paidNetwork struct {
	e       *chaintest.Env
	nodes   []*node.Node
	escrows []*chain.Escrow // each node's payee
	client  *chain.Escrow
	chainID uint64
}

const (
	testPrice = 10        // wei a byte
	testFree  = 16 << 10  // bytes free per session
	testStep  = 160 << 10 // bytes served ahead of a receipt: ten pieces, more than a reader has in flight
)

func startPaidNetwork(t *testing.T) *paidNetwork {
	t.Helper()
	ctx := t.Context()
	e := chaintest.New(t, chain.DeployConfig{EscrowWithdrawDelay: 50}, 6)
	pn := &paidNetwork{e: e, chainID: e.Dep.ChainID.Uint64()}
	var boot []peer.AddrInfo
	for i, p := range e.Providers {
		es, err := chain.NewEscrow(ctx, e.Sim.Client(), e.Dep.Escrow, p.Key)
		if err != nil {
			t.Fatal(err)
		}
		n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Bootstrap: boot, Tickets: chain.TicketVerifier{}, Pricing: node.Pricing{
			Price: testPrice, FreeBytes: testFree, Step: testStep,
			Payee: p.Addr, ChainID: pn.chainID, Escrow: e.Dep.Escrow, Signer: chain.TicketSigner{Key: p.Key},
			Accounts: deals.EscrowAccounts{Escrow: es},
		}})
		if i == 0 {
			boot = []peer.AddrInfo{{ID: n.ID(), Addrs: n.Host().Addrs()}}
		}
		pn.nodes, pn.escrows = append(pn.nodes, n), append(pn.escrows, es)
	}
	var err error
	if pn.client, err = chain.NewEscrow(ctx, e.Sim.Client(), e.Dep.Escrow, e.Client.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := pn.client.Deposit(ctx, big.NewInt(1e12)); err != nil {
		t.Fatal(err)
	}
	return pn
}

func (pn *paidNetwork) payConfig(maxPrice uint64) *retrieval.PayConfig {
	return &retrieval.PayConfig{Signer: chain.TicketSigner{Key: pn.e.Client.Key}, Verifier: chain.TicketVerifier{},
		ChainID: pn.chainID, Escrow: pn.e.Dep.Escrow, MaxPrice: maxPrice}
}

// redeemAll has every running node redeem its receipts; it returns what each was paid.
func (pn *paidNetwork) redeemAll(t *testing.T, skip map[int]bool) map[peer.ID]*big.Int {
	t.Helper()
	out := map[peer.ID]*big.Int{}
	for i, n := range pn.nodes {
		if skip[i] {
			continue
		}
		paid, err := deals.NewRedeemer(n, pn.escrows[i], 0, nil).RedeemOnce(t.Context())
		if err != nil {
			t.Fatalf("node %d redeeming: %v", i, err)
		}
		out[n.ID()] = paid
	}
	return out
}

// checkPaid: every node was paid exactly what the client owes it for the bytes it received, free
// allowance off, and the escrow counts the sum as redeemed.
func checkPaid(t *testing.T, sessions map[peer.ID]retrieval.SessionInfo, paid map[peer.ID]*big.Int) *big.Int {
	t.Helper()
	sum := new(big.Int)
	for id, p := range paid {
		s := sessions[id]
		want := new(big.Int).SetUint64((s.Bytes - min(s.Bytes, testFree)) * testPrice)
		if s.Amount == nil {
			s.Amount = new(big.Int)
		}
		chaintest.RequireEq(t, "what the client owes node "+id.String()+" for its bytes", s.Amount, want)
		chaintest.RequireEq(t, "what node "+id.String()+" redeemed", p, want)
		sum.Add(sum, p)
	}
	return sum
}

// TestPaidReads: on the real EVM and real libp2p hosts on loopback, a client reads a file from
// nodes that price their reads, signing cumulative receipts as bytes arrive; each node redeems
// the latest receipt of its session and is paid to the wei for the bytes it served (its free
// allowance off); the escrow's redeemed amount is the client's ledger. A reader that does not
// sign is cut off one step in; a node that stopped serving earns nothing of later reads; a
// client whose --max-price is below the nodes' reads nothing; the file reads back byte for byte.
func TestPaidReads(t *testing.T) {
	pn := startPaidNetwork(t)
	ctx := t.Context()
	uploader := newClient(t, pn.nodes, retrieval.Config{})
	data := randomBytes(5*int(smallParams.SegmentSize())+999, 41)
	res, m := put(t, uploader, data, smallParams)

	reader := newClient(t, pn.nodes, retrieval.Config{Pay: pn.payConfig(testPrice)})
	got, _, err := get(t, reader, res)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("paid read: %d bytes, equal %v, err %v", len(got), bytes.Equal(got, data), err)
	}
	if err := reader.Payments().Settle(ctx); err != nil {
		t.Fatal(err)
	}
	sessions := reader.Payments().Sessions()
	paid := pn.redeemAll(t, nil)
	total := checkPaid(t, sessions, paid)
	if total.Sign() == 0 {
		t.Fatal("a read of the whole file paid nothing")
	}
	t.Logf("a read of %d bytes paid %s wei to %d nodes", len(data), total, len(paid))
	acct, err := pn.client.AccountOf(ctx, pn.e.Client.Addr)
	if err != nil {
		t.Fatal(err)
	}
	chaintest.RequireEq(t, "escrow redeemed", acct.Redeemed, total)
	chaintest.RequireEq(t, "the client's ledger", reader.Payments().Ledger().Spent(), total)
	if again := pn.redeemAll(t, nil); again[pn.nodes[0].ID()].Sign() != 0 {
		t.Fatal("a second redemption paid again")
	}

	// A reader that never signs: served one step, then refused; nothing stored is lost.
	target := nodeOf(t, pn.nodes, m, 0)
	h := p2ptest.NewHost(t, p2ptest.Knowing(pn.nodes[target]))
	w := wire.NewClient(h)
	var served int64
	for seg := 0; ; seg = (seg + 1) % m.NumSegments() {
		b, err := w.GetPiece(ctx, pn.nodes[target].ID(), wire.PieceRef{Root: res.Root, Shard: 0, Segment: seg}, 0, -1)
		if errors.Is(err, wire.ErrPaymentRequired) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		served += int64(len(b))
		if served > 2*testStep {
			t.Fatalf("a reader that signs nothing got %d bytes", served)
		}
	}
	t.Logf("a reader that signs nothing was refused after %d bytes", served)
	if served < testStep {
		t.Fatalf("refused after %d bytes, before a step of %d", served, testStep)
	}

	// A node that stops serving earns nothing of the reads after.
	stopped := nodeOf(t, pn.nodes, m, 1)
	pn.nodes[stopped].Close()
	reader2 := newClient(t, pn.nodes, retrieval.Config{Pay: pn.payConfig(testPrice)})
	if got, _, err = get(t, reader2, res); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("paid read with a node stopped: equal %v, err %v", bytes.Equal(got, data), err)
	}
	if err := reader2.Payments().Settle(ctx); err != nil {
		t.Fatal(err)
	}
	s2 := reader2.Payments().Sessions()
	if s := s2[pn.nodes[stopped].ID()]; s.Bytes != 0 || (s.Amount != nil && s.Amount.Sign() != 0) {
		t.Fatalf("the stopped node is owed %+v", s)
	}
	checkPaid(t, s2, pn.redeemAll(t, map[int]bool{stopped: true}))

	// Too expensive: a client that pays at most 1 wei a byte reads from none of them.
	cheap := newClient(t, pn.nodes, retrieval.Config{Pay: pn.payConfig(1)})
	if _, _, err := get(t, cheap, res); err == nil {
		t.Fatal("a client with --max-price below every node's price read the file")
	}
}
