package chain

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/dstore-net/dstore/chain/bindings"
)

// The marketplace's events, as decoded from logs.
type (
	ProviderRegistered = bindings.MarketplaceProviderRegistered
	Deposited          = bindings.MarketplaceDeposited
	Withdrawn          = bindings.MarketplaceWithdrawn
	RequestCreated     = bindings.MarketplaceRequestCreated
	SlotFilled         = bindings.MarketplaceSlotFilled
	ProofSubmitted     = bindings.MarketplaceProofSubmitted
	ProofMissed        = bindings.MarketplaceProofMissed
	SlotFreed          = bindings.MarketplaceSlotFreed
	CollateralReturned = bindings.MarketplaceCollateralReturned
	RequestFinished    = bindings.MarketplaceRequestFinished
	EntropyRecorded    = bindings.MarketplaceEntropyRecorded
	SlotRepairOpened   = bindings.MarketplaceSlotRepairOpened
	SlotRepaired       = bindings.MarketplaceSlotRepaired
	RequestFailed      = bindings.MarketplaceRequestFailed
)

// Event is one marketplace log: Data is a pointer to one of the event types above
// (*ProofSubmitted, *ProofMissed, ...).
type Event struct {
	Name     string      `json:"name"`
	Block    uint64      `json:"block"`
	TxHash   common.Hash `json:"tx"`
	LogIndex uint        `json:"logIndex"`
	Data     any         `json:"data"`
}

// decode turns a log of the marketplace into an Event; ok is false for logs of
// other contracts or unknown events.
func (m *Market) decode(l *types.Log) (Event, bool) {
	if l.Address != m.addr || len(l.Topics) == 0 {
		return Event{}, false
	}
	ev, err := m.abi.EventByID(l.Topics[0])
	if err != nil {
		return Event{}, false
	}
	var data any
	switch ev.Name {
	case "ProviderRegistered":
		data, err = m.c.UnpackProviderRegisteredEvent(l)
	case "Deposited":
		data, err = m.c.UnpackDepositedEvent(l)
	case "Withdrawn":
		data, err = m.c.UnpackWithdrawnEvent(l)
	case "RequestCreated":
		data, err = m.c.UnpackRequestCreatedEvent(l)
	case "SlotFilled":
		data, err = m.c.UnpackSlotFilledEvent(l)
	case "ProofSubmitted":
		data, err = m.c.UnpackProofSubmittedEvent(l)
	case "ProofMissed":
		data, err = m.c.UnpackProofMissedEvent(l)
	case "SlotFreed":
		data, err = m.c.UnpackSlotFreedEvent(l)
	case "CollateralReturned":
		data, err = m.c.UnpackCollateralReturnedEvent(l)
	case "RequestFinished":
		data, err = m.c.UnpackRequestFinishedEvent(l)
	case "EntropyRecorded":
		data, err = m.c.UnpackEntropyRecordedEvent(l)
	case "SlotRepairOpened":
		data, err = m.c.UnpackSlotRepairOpenedEvent(l)
	case "SlotRepaired":
		data, err = m.c.UnpackSlotRepairedEvent(l)
	case "RequestFailed":
		data, err = m.c.UnpackRequestFailedEvent(l)
	default:
		return Event{}, false
	}
	if err != nil {
		return Event{}, false
	}
	return Event{Name: ev.Name, Block: l.BlockNumber, TxHash: l.TxHash, LogIndex: l.Index, Data: data}, true
}

// logRange is the most blocks asked for in one eth_getLogs: public endpoints
// commonly refuse wider ranges.
const logRange = 2000

// filterLogs is eth_getLogs, asked again up to 4 times over about a second while the node's log
// index has not reached the blocks asked for: go-ethereum 1.17 indexes logs behind the head, and a
// query that reaches a block just mined fails now and then with "failed to retrieve log value
// pointer after last block N" (the embedded chain did so a few times a minute while it mined).
func (m *Market) filterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	for attempt := 1; ; attempt++ {
		logs, err := m.b.FilterLogs(ctx, q)
		if err == nil || attempt > 4 || !strings.Contains(err.Error(), "log value pointer") {
			return logs, err
		}
		t := time.NewTimer(time.Duration(attempt) * 100 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Events returns the marketplace's events in blocks [from, to], in chain order.
func (m *Market) Events(ctx context.Context, from, to uint64) ([]Event, error) {
	var out []Event
	for lo := from; lo <= to; lo += logRange {
		hi := min(lo+logRange-1, to)
		logs, err := m.filterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(lo),
			ToBlock:   new(big.Int).SetUint64(hi),
			Addresses: []common.Address{m.addr},
		})
		if err != nil {
			return nil, fmt.Errorf("filter logs %d..%d: %w", lo, hi, err)
		}
		for i := range logs {
			if ev, ok := m.decode(&logs[i]); ok {
				out = append(out, ev)
			}
		}
	}
	return out, nil
}

// TxEvents decodes the marketplace's events in a mined transaction.
func (m *Market) TxEvents(tx Tx) []Event {
	if tx.Receipt == nil {
		return nil
	}
	var out []Event
	for _, l := range tx.Receipt.Logs {
		if ev, ok := m.decode(l); ok {
			out = append(out, ev)
		}
	}
	return out
}

// Follow calls fn with every marketplace event from block from on, in chain order,
// polling the head every poll (0 means 500ms), and with the head block number after
// each batch (head may be nil). It returns when ctx is done (nil) or fn fails.
func (m *Market) Follow(ctx context.Context, from uint64, poll time.Duration, fn func(Event) error, head func(uint64) error) error {
	if poll <= 0 {
		poll = 500 * time.Millisecond
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		n, err := m.b.BlockNumber(ctx)
		if err != nil && !ended(ctx) {
			return fmt.Errorf("head: %w", err)
		}
		if err == nil && n >= from {
			evs, err := m.Events(ctx, from, n)
			if err != nil && !ended(ctx) {
				return err
			}
			for _, ev := range evs {
				if err := fn(ev); err != nil {
					return err
				}
			}
			if err == nil {
				from = n + 1
				if head != nil {
					if err := head(n); err != nil {
						return err
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ended says whether ctx is done or past its deadline. RPC clients turn a deadline into an I/O
// deadline that can fire, as a transport error, just before ctx reports it: such an error means
// the caller's time is up, not that the chain failed.
func ended(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// BlockNumber is the chain's head.
func (m *Market) BlockNumber(ctx context.Context) (uint64, error) {
	return m.b.BlockNumber(ctx)
}

// RequestsByRoot returns the ids of the requests created for rootCID (a binary CID) in blocks
// [from, head], oldest first. It asks the backend for RequestCreated logs only.
func (m *Market) RequestsByRoot(ctx context.Context, from uint64, rootCID []byte) ([]RequestID, error) {
	evs, err := m.createdFor(ctx, from, rootCID)
	if err != nil {
		return nil, err
	}
	out := make([]RequestID, len(evs))
	for i, ev := range evs {
		out[i] = RequestID(ev.RequestId)
	}
	return out, nil
}

// RootManifest is the manifest CID a storage request named for its file.
type RootManifest struct {
	Request     RequestID `json:"request"`
	Block       uint64    `json:"block"`       // the block of createRequest
	ManifestCID []byte    `json:"manifestCid"` // binary CID, as the client gave it (may be empty)
}

// ManifestsByRoot returns the manifest CIDs that requests created for rootCID (a binary CID) in
// blocks [from, head] carry, newest request first, read from their RequestCreated events alone.
// The contract checks only the CID's length: a reader verifies the manifest it fetches.
func (m *Market) ManifestsByRoot(ctx context.Context, from uint64, rootCID []byte) ([]RootManifest, error) {
	evs, err := m.createdFor(ctx, from, rootCID)
	if err != nil {
		return nil, err
	}
	out := make([]RootManifest, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- {
		out = append(out, RootManifest{Request: RequestID(evs[i].RequestId), Block: evs[i].Raw.BlockNumber, ManifestCID: evs[i].ManifestCid})
	}
	return out, nil
}

// createdFor returns the RequestCreated events for rootCID in blocks [from, head], oldest first.
func (m *Market) createdFor(ctx context.Context, from uint64, rootCID []byte) ([]*RequestCreated, error) {
	head, err := m.b.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	topic := m.abi.Events["RequestCreated"].ID
	var out []*RequestCreated
	for lo := from; lo <= head; lo += logRange {
		hi := min(lo+logRange-1, head)
		logs, err := m.filterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(lo),
			ToBlock:   new(big.Int).SetUint64(hi),
			Addresses: []common.Address{m.addr},
			Topics:    [][]common.Hash{{topic}},
		})
		if err != nil {
			return nil, fmt.Errorf("filter logs %d..%d: %w", lo, hi, err)
		}
		for i := range logs {
			ev, err := m.c.UnpackRequestCreatedEvent(&logs[i])
			if err == nil && logs[i].Address == m.addr && bytes.Equal(ev.RootCid, rootCID) {
				out = append(out, ev)
			}
		}
	}
	return out, nil
}
