package chain

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/dstore-net/dstore/chain/bindings"
)

// RequestID names a storage request on chain.
type RequestID [32]byte

func (id RequestID) String() string { return "0x" + hex.EncodeToString(id[:]) }

// MarshalText encodes the id as 0x-prefixed hex.
func (id RequestID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText decodes 0x-prefixed (or bare) hex.
func (id *RequestID) UnmarshalText(b []byte) error {
	s := strings.TrimPrefix(string(b), "0x")
	raw, err := hex.DecodeString(s)
	if err != nil || len(raw) != 32 {
		return fmt.Errorf("%w: request id %q", ErrInvalidParams, string(b))
	}
	copy(id[:], raw)
	return nil
}

// ParseRequestID parses a request id printed by RequestID.String.
func ParseRequestID(s string) (RequestID, error) {
	var id RequestID
	return id, id.UnmarshalText([]byte(s))
}

// ProviderInfo is a storage provider's entry in the registry.
type ProviderInfo struct {
	PeerID string   `json:"peerId"` // libp2p peer ID
	Addrs  []string `json:"addrs"`  // libp2p multiaddrs
	Price  *big.Int `json:"price"`  // asked price per slot per period, in wei
}

// Request is what a client asks for when it creates a storage request.
type Request struct {
	RootCID     []byte           `json:"rootCid"`     // binary CID of the file
	ManifestCID []byte           `json:"manifestCid"` // binary CID of the manifest
	Size        uint64           `json:"size"`
	K           uint32           `json:"k"`
	M           uint32           `json:"m"`
	SlotRoots   [][32]byte       `json:"slotRoots"`       // k+m Poseidon2 roots, big-endian field elements
	Hosts       []common.Address `json:"hosts,omitempty"` // optional: who may fill each slot (zero = anyone), until the slot is freed
	// Duration is the number of periods the slots are challenged and paid for.
	Duration uint64 `json:"duration"`
	// ProofPeriod is a period's length in blocks (2..128).
	ProofPeriod uint64 `json:"proofPeriod"`
	// ProofProbability: a slot is challenged once every ProofProbability periods
	// on average; 1 challenges every filled slot every period.
	ProofProbability uint64   `json:"proofProbability"`
	PricePerPeriod   *big.Int `json:"pricePerPeriod"` // per slot per period, wei
	Collateral       *big.Int `json:"collateral"`     // per slot, wei
}

// Escrow is the payment CreateRequest sends: PricePerPeriod * (K+M) * Duration.
func (r Request) Escrow() *big.Int {
	e := new(big.Int).SetUint64(uint64(r.K) + uint64(r.M))
	e.Mul(e, new(big.Int).SetUint64(r.Duration))
	return e.Mul(e, bigOrZero(r.PricePerPeriod))
}

// RequestInfo is a request as the contract holds it.
type RequestInfo struct {
	Request
	ID           RequestID      `json:"id"`
	Client       common.Address `json:"client"`
	StartPeriod  uint64         `json:"startPeriod"` // first period challenged
	EndPeriod    uint64         `json:"endPeriod"`   // first period not challenged
	Escrow       *big.Int       `json:"escrow"`      // still held for providers
	Compensation *big.Int       `json:"compensation"`
	Finished     bool           `json:"finished"`
}

// SlotInfo is the state of one slot.
type SlotInfo struct {
	Provider     common.Address `json:"provider"` // zero when free
	FilledPeriod uint64         `json:"filledPeriod"`
	Proven       uint32         `json:"proven"`
	Missed       uint32         `json:"missed"`
	Collateral   *big.Int       `json:"collateral"` // left after slashing
	Paid         *big.Int       `json:"paid"`       // paid to the slot's providers so far
}

// PeriodState says whether a slot's period was proven or reported missing.
type PeriodState uint8

const (
	PeriodOpen   PeriodState = 0
	PeriodProven PeriodState = 1
	PeriodMissed PeriodState = 2
)

func (s PeriodState) String() string {
	switch s {
	case PeriodOpen:
		return "open"
	case PeriodProven:
		return "proven"
	case PeriodMissed:
		return "missed"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Challenge is what the slot's provider must prove in the current period.
type Challenge struct {
	Required bool        `json:"required"` // the slot is challenged this period
	Period   uint64      `json:"period"`
	Entropy  [32]byte    `json:"entropy"`
	Value    *big.Int    `json:"value"`    // the circuit's challenge input, prover.Challenge(Entropy, id, slot, provider)
	Deadline uint64      `json:"deadline"` // last block in which a proof is accepted
	State    PeriodState `json:"state"`
}

// Market is a client of a deployed Marketplace contract, signing with one key
// (nil for read-only use). It is safe for concurrent use: transactions from one
// Market are sent one at a time so their nonces do not collide.
type Market struct {
	b       Backend
	addr    common.Address
	c       *bindings.Marketplace
	abi     abi.ABI
	inst    *bind.BoundContract
	key     *ecdsa.PrivateKey
	chainID *big.Int

	mu sync.Mutex // one transaction in flight

	periods sync.Map // RequestID -> proof period in blocks (fixed at creation)
}

// NewMarket binds to the Marketplace at addr. key signs transactions; nil is read-only.
func NewMarket(ctx context.Context, b Backend, addr common.Address, key *ecdsa.PrivateKey) (*Market, error) {
	chainID, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	code, err := b.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("marketplace code: %w", err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: no contract at %s", ErrInvalidConfig, addr)
	}
	c := bindings.NewMarketplace()
	return &Market{b: b, addr: addr, c: c, abi: c.GetABI(), inst: c.Instance(b, addr), key: key, chainID: chainID}, nil
}

// Contract is the Marketplace's address.
func (m *Market) Contract() common.Address { return m.addr }

// Backend is the chain the market talks to.
func (m *Market) Backend() Backend { return m.b }

// Account is the signing account (zero when read-only).
func (m *Market) Account() common.Address {
	if m.key == nil {
		return common.Address{}
	}
	return Address(m.key)
}

func (m *Market) send(ctx context.Context, method string, data []byte, value *big.Int) (Tx, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return send(ctx, m.b, m.inst, m.key, m.chainID, method, data, value, &m.abi)
}

func call[T any](ctx context.Context, m *Market, method string, data []byte, unpack func([]byte) (T, error)) (T, error) {
	v, err := bind.Call(m.inst, &bind.CallOpts{Context: ctx}, data, unpack)
	if err != nil {
		var zero T
		return zero, decodeRevert(method, err, &m.abi)
	}
	return v, nil
}

// RegisterProvider registers or updates the caller as a provider and deposits
// deposit wei (may be nil) as collateral.
func (m *Market) RegisterProvider(ctx context.Context, p ProviderInfo, deposit *big.Int) (Tx, error) {
	data, err := m.c.TryPackRegisterProvider(p.PeerID, p.Addrs, bigOrZero(p.Price))
	if err != nil {
		return Tx{}, fmt.Errorf("%w: %w", ErrInvalidParams, err)
	}
	return m.send(ctx, "registerProvider", data, deposit)
}

// Provider returns a provider's registry entry; ok is false if it never registered.
func (m *Market) Provider(ctx context.Context, addr common.Address) (p ProviderInfo, ok bool, err error) {
	v, err := call(ctx, m, "getProvider", m.c.PackGetProvider(addr), m.c.UnpackGetProvider)
	if err != nil {
		return ProviderInfo{}, false, err
	}
	return ProviderInfo{PeerID: v.PeerId, Addrs: v.Addrs, Price: v.Price}, v.Registered, nil
}

// CreateRequest creates a storage request, paying its escrow (r.Escrow()).
func (m *Market) CreateRequest(ctx context.Context, r Request) (RequestID, Tx, error) {
	roots := make([]*big.Int, len(r.SlotRoots))
	for i, root := range r.SlotRoots {
		roots[i] = new(big.Int).SetBytes(root[:])
	}
	data, err := m.c.TryPackCreateRequest(bindings.MarketplaceRequestParams{
		RootCid:          r.RootCID,
		ManifestCid:      r.ManifestCID,
		Size:             r.Size,
		K:                r.K,
		M:                r.M,
		SlotRoots:        roots,
		Hosts:            r.Hosts,
		Duration:         r.Duration,
		ProofPeriod:      r.ProofPeriod,
		ProofProbability: r.ProofProbability,
		PricePerPeriod:   bigOrZero(r.PricePerPeriod),
		Collateral:       bigOrZero(r.Collateral),
	})
	if err != nil {
		return RequestID{}, Tx{}, fmt.Errorf("%w: %w", ErrInvalidParams, err)
	}
	tx, err := m.send(ctx, "createRequest", data, r.Escrow())
	if err != nil {
		return RequestID{}, tx, err
	}
	for _, l := range tx.Receipt.Logs {
		if ev, err := m.c.UnpackRequestCreatedEvent(l); err == nil && l.Address == m.addr {
			return RequestID(ev.RequestId), tx, nil
		}
	}
	return RequestID{}, tx, fmt.Errorf("createRequest: %w: RequestCreated", ErrEventNotFound)
}

// Request reads a request; ErrUnknownRequest if there is none with that id.
func (m *Market) Request(ctx context.Context, id RequestID) (RequestInfo, error) {
	v, err := call(ctx, m, "getRequest", m.c.PackGetRequest(id), m.c.UnpackGetRequest)
	if err != nil {
		return RequestInfo{}, err
	}
	if v.Client == (common.Address{}) {
		return RequestInfo{}, fmt.Errorf("%w: %s", ErrUnknownRequest, id)
	}
	roots := make([][32]byte, len(v.SlotRoots))
	for i, r := range v.SlotRoots {
		r.FillBytes(roots[i][:])
	}
	return RequestInfo{
		Request: Request{
			RootCID: v.RootCid, ManifestCID: v.ManifestCid, Size: v.Size, K: v.K, M: v.M,
			SlotRoots: roots, Hosts: v.Hosts, Duration: v.EndPeriod - v.StartPeriod,
			ProofPeriod: v.ProofPeriod, ProofProbability: v.ProofProbability,
			PricePerPeriod: v.PricePerPeriod, Collateral: v.Collateral,
		},
		ID: id, Client: v.Client, StartPeriod: v.StartPeriod, EndPeriod: v.EndPeriod,
		Escrow: v.Escrow, Compensation: v.Compensation, Finished: v.Finished,
	}, nil
}

// FillSlot takes a slot of a request, locking the request's collateral from the
// caller's balance in the contract topped up with deposit wei (may be nil).
func (m *Market) FillSlot(ctx context.Context, id RequestID, slot uint64, deposit *big.Int) (Tx, error) {
	return m.send(ctx, "fillSlot", m.c.PackFillSlot(id, new(big.Int).SetUint64(slot)), deposit)
}

// Slot reads a slot's state.
func (m *Market) Slot(ctx context.Context, id RequestID, slot uint64) (SlotInfo, error) {
	v, err := call(ctx, m, "getSlot", m.c.PackGetSlot(id, new(big.Int).SetUint64(slot)), m.c.UnpackGetSlot)
	if err != nil {
		return SlotInfo{}, err
	}
	return SlotInfo{Provider: v.Provider, FilledPeriod: v.FilledPeriod, Proven: v.Proven, Missed: v.Missed, Collateral: v.Collateral, Paid: v.Paid}, nil
}

// Challenge returns the current period's challenge for a slot, as of the latest block. In the
// first block of a period the entropy is not final yet: Entropy is zero (and Required may be
// wrong for a request challenged at random); ask again at the next block.
func (m *Market) Challenge(ctx context.Context, id RequestID, slot uint64) (Challenge, error) {
	period, err := m.proofPeriod(ctx, id)
	if err != nil {
		return Challenge{}, err
	}
	// The call runs on the newest block, which may be one past the head read here: when that
	// block opens a new period, the header given is the previous period's and the contract
	// answers EntropyUnavailable. Read the head again and ask once more.
	var v bindings.GetChallengeOutput
	for attempt := 0; ; attempt++ {
		head, err := m.b.BlockNumber(ctx)
		if err != nil {
			return Challenge{}, fmt.Errorf("head: %w", err)
		}
		header, err := m.entropyHeader(ctx, period, head/period, head)
		if err != nil {
			return Challenge{}, err
		}
		v, err = call(ctx, m, "getChallenge", m.c.PackGetChallenge(id, new(big.Int).SetUint64(slot), header), m.c.UnpackGetChallenge)
		if err == nil {
			break
		}
		if attempt > 0 || !errors.Is(err, ErrEntropyUnavailable) {
			return Challenge{}, err
		}
	}
	return Challenge{
		Required: v.Required, Period: v.Period, Entropy: v.Entropy, Value: v.Challenge,
		Deadline: v.Deadline.Uint64(), State: PeriodState(v.State),
	}, nil
}

// PeriodState says whether a past or current period of a slot was proven or reported.
func (m *Market) PeriodState(ctx context.Context, id RequestID, slot, period uint64) (PeriodState, error) {
	v, err := call(ctx, m, "periodState", m.c.PackPeriodState(id, new(big.Int).SetUint64(slot), new(big.Int).SetUint64(period)), m.c.UnpackPeriodState)
	return PeriodState(v), err
}

// SubmitProof submits a proof (prover.Proof.Solidity(), 256 bytes) for the slot's
// current challenge; the contract verifies it and pays the period. The header of the
// period's first block goes with it unless the period's entropy is already recorded.
func (m *Market) SubmitProof(ctx context.Context, id RequestID, slot uint64, proof []byte) (Tx, error) {
	period, err := m.proofPeriod(ctx, id)
	if err != nil {
		return Tx{}, err
	}
	head, err := m.b.BlockNumber(ctx)
	if err != nil {
		return Tx{}, fmt.Errorf("head: %w", err)
	}
	// The transaction lands after head: the first block of head's period is then final.
	header, err := m.entropyHeader(ctx, period, head/period, head+1)
	if err != nil {
		return Tx{}, err
	}
	return m.send(ctx, "submitProof", m.c.PackSubmitProof(id, new(big.Int).SetUint64(slot), proof, header), nil)
}

// MarkProofAsMissing reports that a slot's provider did not prove a past period;
// the caller earns the reward. For a request challenged at random the period's
// entropy is needed: recorded, or the header of the period's first block while its
// hash is within the chain's 256-block window.
func (m *Market) MarkProofAsMissing(ctx context.Context, id RequestID, slot, period uint64) (Tx, error) {
	pp, err := m.proofPeriod(ctx, id)
	if err != nil {
		return Tx{}, err
	}
	head, err := m.b.BlockNumber(ctx)
	if err != nil {
		return Tx{}, fmt.Errorf("head: %w", err)
	}
	header, err := m.entropyHeader(ctx, pp, period, head+1)
	if err != nil {
		return Tx{}, err
	}
	tx, err := m.send(ctx, "markProofAsMissing", m.c.PackMarkProofAsMissing(id, new(big.Int).SetUint64(slot), period, header), nil)
	if errors.Is(err, ErrReverted) {
		err = m.reportRace(ctx, id, slot, period, err)
	}
	return tx, err
}

// reportRace names why a report that passed its gas estimate reverted when mined: another
// reporter's report of the same period (an auditor's, a repairer's) was mined first, so the period
// is no longer open, or it freed the slot or finished the request. Otherwise it returns err.
func (m *Market) reportRace(ctx context.Context, id RequestID, slot, period uint64, err error) error {
	st, serr := m.PeriodState(ctx, id, slot, period)
	if serr == nil && st != PeriodOpen {
		return fmt.Errorf("%w (reported by another first): %w", ErrAlreadyDone, err)
	}
	s, serr := m.Slot(ctx, id, slot)
	switch {
	case errors.Is(serr, ErrRequestFinished):
		return fmt.Errorf("%w: %w", ErrRequestFinished, err)
	case serr == nil && s.Provider == (common.Address{}):
		return fmt.Errorf("%w (freed by another report): %w", ErrSlotNotFilled, err)
	}
	return err
}

// RecordEntropy records a period's entropy on chain so that its misses stay reportable
// after the period's first block leaves the chain's 256-block hash window. Proofs and
// reports record it too; recording twice is a no-op.
func (m *Market) RecordEntropy(ctx context.Context, proofPeriod, period uint64) (Tx, error) {
	head, err := m.b.BlockNumber(ctx)
	if err != nil {
		return Tx{}, fmt.Errorf("head: %w", err)
	}
	header, err := m.entropyHeader(ctx, proofPeriod, period, head+1)
	if err != nil {
		return Tx{}, err
	}
	return m.send(ctx, "recordEntropy", m.c.PackRecordEntropy(proofPeriod, period, header), nil)
}

// RecordedEntropy is a period's entropy as recorded on chain; ok is false if it was not.
func (m *Market) RecordedEntropy(ctx context.Context, proofPeriod, period uint64) (e [32]byte, ok bool, err error) {
	e, err = call(ctx, m, "recordedEntropy", m.c.PackRecordedEntropy(new(big.Int).SetUint64(proofPeriod), new(big.Int).SetUint64(period)), m.c.UnpackRecordedEntropy)
	return e, err == nil && e != [32]byte{}, err
}

// FinishBlock is the first block in which FinishRequest accepts the request: one period
// after its end (the window to report the last period's misses) plus the grace set at deployment.
func (m *Market) FinishBlock(ctx context.Context, id RequestID) (uint64, error) {
	v, err := call(ctx, m, "finishBlock", m.c.PackFinishBlock(id), m.c.UnpackFinishBlock)
	if err != nil {
		return 0, err
	}
	return v.Uint64(), nil
}

// BlockTime is the chain's mean block time over its last n blocks, the genesis block left out
// (at least 1 s: block timestamps count seconds).
func (m *Market) BlockTime(ctx context.Context, n uint64) (time.Duration, error) {
	head, err := m.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("head: %w", err)
	}
	num := head.Number.Uint64()
	n = min(n, num-min(num, 1)) // not from the genesis block: its timestamp is the chain's configuration
	if n == 0 {
		return time.Second, nil
	}
	past, err := m.b.HeaderByNumber(ctx, new(big.Int).SetUint64(num-n))
	if err != nil {
		return 0, fmt.Errorf("header of block %d: %w", num-n, err)
	}
	return max(time.Second, time.Duration(head.Time-past.Time)*time.Second/time.Duration(n)), nil
}

// FinishGrace is the grace, in blocks, that FinishBlock adds after a request's report window.
func (m *Market) FinishGrace(ctx context.Context) (uint64, error) {
	v, err := call(ctx, m, "finishGrace", m.c.PackFinishGrace(), m.c.UnpackFinishGrace)
	if err != nil {
		return 0, err
	}
	return v.Uint64(), nil
}

// Verifier is the address of the Groth16 verifier the marketplace checks proofs with.
func (m *Market) Verifier(ctx context.Context) (common.Address, error) {
	return call(ctx, m, "verifier", m.c.PackVerifier(), m.c.UnpackVerifier)
}

// blockHashWindow is how many past blocks' hashes the EVM's BLOCKHASH returns.
const blockHashWindow = 256

// entropyHeader returns the RLP header of the first block of period, which the contract needs
// to read the period's entropy in a block numbered at: nil if that entropy is already
// recorded, or the block is not final yet, or its hash has left the window.
func (m *Market) entropyHeader(ctx context.Context, proofPeriod, period, at uint64) ([]byte, error) {
	start := period * proofPeriod
	if start == 0 || start >= at || at-start > blockHashWindow {
		return nil, nil
	}
	if _, ok, err := m.RecordedEntropy(ctx, proofPeriod, period); err != nil || ok {
		return nil, err
	}
	h, err := m.b.HeaderByNumber(ctx, new(big.Int).SetUint64(start))
	if err != nil {
		return nil, fmt.Errorf("header of block %d: %w", start, err)
	}
	b, err := rlp.EncodeToBytes(h)
	if err != nil {
		return nil, fmt.Errorf("header of block %d: %w", start, err)
	}
	return b, nil
}

// proofPeriod is a request's period length, read once.
func (m *Market) proofPeriod(ctx context.Context, id RequestID) (uint64, error) {
	if v, ok := m.periods.Load(id); ok {
		return v.(uint64), nil
	}
	info, err := m.Request(ctx, id)
	if err != nil {
		return 0, err
	}
	m.periods.Store(id, info.ProofPeriod)
	return info.ProofPeriod, nil
}

// FinishRequest settles an ended request: collateral back to providers, the rest
// of the escrow and slashed collateral to the client.
func (m *Market) FinishRequest(ctx context.Context, id RequestID) (Tx, error) {
	return m.send(ctx, "finishRequest", m.c.PackFinishRequest(id), nil)
}

// Deposit adds amount wei to the caller's balance in the contract.
func (m *Market) Deposit(ctx context.Context, amount *big.Int) (Tx, error) {
	return m.send(ctx, "deposit", m.c.PackDeposit(), amount)
}

// Withdraw sends the caller's whole balance in the contract to its account.
func (m *Market) Withdraw(ctx context.Context) (Tx, error) {
	return m.send(ctx, "withdraw", m.c.PackWithdraw(), nil)
}

// Balance is an account's withdrawable balance in the contract (payments,
// rewards, refunds, returned and unlocked collateral), in wei.
func (m *Market) Balance(ctx context.Context, account common.Address) (*big.Int, error) {
	return call(ctx, m, "balances", m.c.PackBalances(account), m.c.UnpackBalances)
}

// ChallengeValue computes the challenge input exactly as the contract does.
func (m *Market) ChallengeValue(ctx context.Context, entropy [32]byte, id RequestID, slot uint64, provider common.Address) (*big.Int, error) {
	return call(ctx, m, "challengeValue", m.c.PackChallengeValue(entropy, id, new(big.Int).SetUint64(slot), provider), m.c.UnpackChallengeValue)
}

// PeriodEntropy is the entropy of a period of the given length (in blocks): recorded on
// chain, or read from the header of the period's first block while it is in the chain's
// 256-block hash window; ErrEntropyUnavailable otherwise.
func (m *Market) PeriodEntropy(ctx context.Context, proofPeriod, period uint64) ([32]byte, error) {
	head, err := m.b.BlockNumber(ctx)
	if err != nil {
		return [32]byte{}, fmt.Errorf("head: %w", err)
	}
	header, err := m.entropyHeader(ctx, proofPeriod, period, head)
	if err != nil {
		return [32]byte{}, err
	}
	return call(ctx, m, "periodEntropy", m.c.PackPeriodEntropy(proofPeriod, period, header), m.c.UnpackPeriodEntropy)
}

func bigOrZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// SlotRef names one slot of one request.
type SlotRef struct {
	Request RequestID `json:"request"`
	Slot    uint64    `json:"slot"`
}
