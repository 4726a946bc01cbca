package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/retrieval"
)

// permanentFlags are put's flags for a permanent deal.
func permanentFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.BoolFlag{Name: "permanent", Usage: "pay once for storage for good: an endowment renews the deal every --duration periods at the then-current price"},
		&ucli.StringFlag{Name: "decline", Value: "0.5%", Usage: "with --permanent, the yearly decline of the price of storage the endowment assumes (0.01% to 50%)"},
	}
}

// parseDecline parses a yearly decline such as "0.5%" into parts per million.
func parseDecline(s string) (uint32, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || math.IsNaN(v) {
		return 0, fmt.Errorf("%q is not a percentage (like 0.5%%)", s)
	}
	ppm := math.Round(v * 10_000)
	if ppm < 100 || ppm > 500_000 {
		return 0, fmt.Errorf("%q is outside 0.01%% to 50%% a year", s)
	}
	return uint32(ppm), nil
}

// permanentMarket makes put's storage request the first term of a permanent deal: the endowment
// is its client, paid once.
type permanentMarket struct {
	retrieval.DealMarket
	end     *chain.Endowment
	decline uint32

	deal      chain.DealID
	endowment *big.Int
}

// CreateRequest pays the endowment r's terms need and starts its first term.
func (p *permanentMarket) CreateRequest(ctx context.Context, r chain.Request) (chain.RequestID, chain.Tx, error) {
	need, err := p.end.Required(ctx, r, p.decline)
	if err != nil {
		return chain.RequestID{}, chain.Tx{}, err
	}
	id, req, tx, err := p.end.Create(ctx, r, p.decline, need)
	if err != nil {
		return chain.RequestID{}, tx, err
	}
	p.deal, p.endowment = id, need
	return req, tx, nil
}

// newPermanentMarket wraps the user's market for put --permanent.
func newPermanentMarket(c *ucli.Context, m *clientMarket) (*permanentMarket, error) {
	decline, err := parseDecline(c.String("decline"))
	if err != nil {
		return nil, usagef("--decline: %v", err)
	}
	if m.ep.Endowment == (common.Address{}) {
		return nil, usagef("the chain endpoint names no endowment contract: deploy the contracts again to make permanent deals")
	}
	end, err := chain.NewEndowment(c.Context, m.Backend(), m.ep.Endowment, m.key)
	if err != nil {
		return nil, err
	}
	return &permanentMarket{DealMarket: m.Market, end: end, decline: decline}, nil
}

// endowmentView is a permanent deal as status and put print it.
type endowmentView struct {
	Deal        chain.DealID `json:"deal"`
	Balance     string       `json:"balance"` // wei
	Spent       string       `json:"spent"`
	Refunded    string       `json:"refunded"`
	Terms       uint64       `json:"terms"`
	TermPeriods uint64       `json:"termPeriods"`
	DeclinePPM  uint32       `json:"declinePpm"`
	Price       string       `json:"price"` // per slot per period now, wei
	Exhausted   bool         `json:"exhausted"`
	// Years the balance and the current term's escrow fund at today's price, and with the
	// assumed decline (-1: forever).
	YearsFlat      float64 `json:"yearsAtTodaysPrice"`
	YearsDeclining float64 `json:"yearsWithDecline"`
}

// endowmentOf reads the permanent deal whose term is the request r (nil when r is not one).
func endowmentOf(ctx context.Context, m *clientMarket, r chain.RequestInfo) (*endowmentView, error) {
	if m.ep.Endowment == (common.Address{}) || r.Client != m.ep.Endowment {
		return nil, nil
	}
	end, err := chain.NewEndowment(ctx, m.Backend(), m.ep.Endowment, nil)
	if err != nil {
		return nil, err
	}
	id, ok, err := end.DealOf(ctx, r.ID)
	if err != nil || !ok {
		return nil, err
	}
	d, err := end.Deal(ctx, id)
	if err != nil {
		return nil, err
	}
	head, err := m.Backend().BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	price, err := end.PriceAt(ctx, id, head)
	if err != nil {
		return nil, err
	}
	bpy, err := end.BlocksPerYear(ctx)
	if err != nil {
		return nil, err
	}
	// What the current term still holds in escrow is storage paid for too.
	funds := new(big.Int).Add(d.Balance, r.Escrow)
	flat, declining := chain.YearsFunded(funds, price, uint64(r.K)+uint64(r.M), max(bpy/max(r.ProofPeriod, 1), 1), d.DeclinePPM)
	if math.IsInf(declining, 1) {
		declining = -1
	}
	return &endowmentView{Deal: id, Balance: d.Balance.String(), Spent: d.Spent.String(), Refunded: d.Refunded.String(),
		Terms: d.Terms, TermPeriods: d.TermPeriods, DeclinePPM: d.DeclinePPM, Price: price.String(), Exhausted: d.Exhausted,
		YearsFlat: math.Round(flat*10) / 10, YearsDeclining: math.Round(declining*10) / 10}, nil
}

// printEndowment writes a permanent deal's endowment as one line.
func printEndowment(w io.Writer, v *endowmentView) {
	forever := "forever"
	if v.YearsDeclining >= 0 {
		forever = fmt.Sprintf("%.1f years", v.YearsDeclining)
	}
	fmt.Fprintf(w, "permanent %s  endowment %s wei  funds %.1f years at today's price (%s at %.2f%% cheaper a year)  term %d of %d periods  price now %s wei\n",
		v.Deal, v.Balance, v.YearsFlat, forever, float64(v.DeclinePPM)/1e4, v.Terms, v.TermPeriods, v.Price)
}
