package retrieval

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
)

// Ledger is the client's record of what it signed for: the amount of the latest receipt of each
// session with each node, in wei. Its Spent is what nodes may redeem from the client's escrow;
// the escrow's redeemed amount trails it until they do. Kept as JSON in one file (HOME/spent.json
// for the CLI); safe for concurrent use.
type Ledger struct {
	path string
	mu   sync.Mutex
	// sessions: hex(node payee) + "/" + hex(session) => latest signed amount, decimal wei.
	sessions map[string]string
}

// LedgerFile is the ledger's file name in a dstore home.
const LedgerFile = "spent.json"

// OpenLedger reads the ledger kept in path (an empty one if the file does not exist; "" keeps
// it in memory only).
func OpenLedger(path string) (*Ledger, error) {
	l := &Ledger{path: path, sessions: map[string]string{}}
	if path == "" {
		return l, nil
	}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the receipt ledger: %w", err)
	}
	if err := json.Unmarshal(b, &l.sessions); err != nil {
		return nil, fmt.Errorf("the receipt ledger %s is not a ledger: %w", path, err)
	}
	return l, nil
}

// Record notes that the client signed a receipt of amount for a session with a node.
func (l *Ledger) Record(node [20]byte, session [32]byte, amount *big.Int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sessions[hex.EncodeToString(node[:])+"/"+hex.EncodeToString(session[:])] = amount.String()
}

// Spent is the total of the latest receipts of every session, in wei.
func (l *Ledger) Spent() *big.Int {
	l.mu.Lock()
	defer l.mu.Unlock()
	sum := new(big.Int)
	for _, v := range l.sessions {
		if a, ok := new(big.Int).SetString(v, 10); ok {
			sum.Add(sum, a)
		}
	}
	return sum
}

// Save writes the ledger to its file atomically (nothing when it has none).
func (l *Ledger) Save() error {
	if l.path == "" {
		return nil
	}
	l.mu.Lock()
	b, err := json.MarshalIndent(l.sessions, "", "  ")
	l.mu.Unlock()
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(l.path), "."+filepath.Base(l.path)+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, l.path)
}
