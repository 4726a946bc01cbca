package repair

import (
	"context"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Liveness defaults: a holder is checked every 10 s; it counts dead after 3 failed checks in a
// row that span at least 30 s; a dead holder is checked again after 20 s, doubling up to 10
// minutes, and one answer makes it live again.
const (
	DefaultCheckInterval = 10 * time.Second
	DefaultDeadChecks    = 3
	DefaultDeadAfter     = 30 * time.Second
	maxDeadBackoff       = 10 * time.Minute
	// checkTimeout bounds one check of a holder.
	checkTimeout = 5 * time.Second
	// checksAtOnce bounds the holders checked at the same time.
	checksAtOnce = 8
)

// PingFunc checks that a holder answers (retrieval.Client.Ping).
type PingFunc func(ctx context.Context, p peer.AddrInfo) (time.Duration, error)

// HolderStatus is what the repairer knows of one holder's liveness.
type HolderStatus struct {
	Peer      string    `json:"peer"`
	Dead      bool      `json:"dead"`
	Fails     int       `json:"failedChecks"` // in a row
	FirstFail time.Time `json:"firstFail,omitzero"`
	LastOK    time.Time `json:"lastOk,omitzero"`
	LastError string    `json:"lastError,omitempty"`
}

type holder struct {
	HolderStatus
	addrs    peer.AddrInfo
	next     time.Time // when it is checked next
	checking bool
	backoff  time.Duration // while dead
	seen     time.Time     // last time a file named it as a holder
}

// liveness checks the holders the repairer follows and says which are dead.
type liveness struct {
	ping       PingFunc
	interval   time.Duration
	deadChecks int
	deadAfter  time.Duration

	mu      sync.Mutex
	holders map[peer.ID]*holder
}

func newLiveness(ping PingFunc, interval time.Duration, deadChecks int, deadAfter time.Duration) *liveness {
	return &liveness{ping: ping, interval: interval, deadChecks: deadChecks, deadAfter: deadAfter, holders: map[peer.ID]*holder{}}
}

// track adds p to the holders checked (checked at once the first time), or refreshes its addresses.
func (l *liveness) track(p peer.AddrInfo, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.holders[p.ID]
	if h == nil {
		h = &holder{HolderStatus: HolderStatus{Peer: p.ID.String()}, next: now}
		l.holders[p.ID] = h
	}
	if len(p.Addrs) > 0 {
		h.addrs = p
	} else if h.addrs.ID == "" {
		h.addrs = peer.AddrInfo{ID: p.ID}
	}
	h.seen = now
}

// dead says whether p counts dead: DeadChecks failed checks in a row over at least DeadAfter.
// A holder not checked yet is live.
func (l *liveness) dead(p peer.ID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.holders[p]
	return h != nil && h.Dead
}

// known says whether p was checked at least once (dead or not).
func (l *liveness) checked(p peer.ID) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.holders[p]
	return h != nil && (h.Fails > 0 || !h.LastOK.IsZero())
}

// forgetUnseen drops the holders no file named since before.
func (l *liveness) forgetUnseen(before time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, h := range l.holders {
		if h.seen.Before(before) && !h.checking {
			delete(l.holders, id)
		}
	}
}

// checkDue checks every holder whose check is due, at most checksAtOnce at a time, and returns
// once they are checked; it reports whether a holder turned dead or live.
func (l *liveness) checkDue(ctx context.Context, now time.Time) (changed bool) {
	l.mu.Lock()
	var due []*holder
	for _, h := range l.holders {
		if !h.checking && !now.Before(h.next) {
			h.checking = true
			due = append(due, h)
		}
	}
	l.mu.Unlock()
	sem := make(chan struct{}, checksAtOnce)
	var wg sync.WaitGroup
	var cmu sync.Mutex
	for _, h := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now() // a check counts from when it began: a dead peer's ping may take checkTimeout
			cctx, cancel := context.WithTimeout(ctx, checkTimeout)
			_, err := l.ping(cctx, h.addrs)
			cancel()
			if ctx.Err() != nil {
				l.mu.Lock()
				h.checking = false
				l.mu.Unlock()
				return
			}
			if l.record(h, err, start) {
				cmu.Lock()
				changed = true
				cmu.Unlock()
			}
		}()
	}
	wg.Wait()
	return changed
}

// record applies the outcome of a check begun at now to h; it reports whether h turned dead or live.
func (l *liveness) record(h *holder, err error, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	h.checking = false
	wasDead := h.Dead
	if err == nil {
		h.Dead, h.Fails, h.FirstFail, h.LastOK, h.LastError, h.backoff = false, 0, time.Time{}, now, "", 0
		h.next = now.Add(l.interval)
		return wasDead
	}
	h.LastError = err.Error()
	if h.Fails == 0 {
		h.FirstFail = now
	}
	h.Fails++
	if !h.Dead && h.Fails >= l.deadChecks && now.Sub(h.FirstFail) >= l.deadAfter {
		h.Dead = true
	}
	if h.Dead {
		// A dead holder costs a dial now and then, not every interval.
		h.backoff = min(max(2*h.backoff, 2*l.interval), maxDeadBackoff)
		h.next = now.Add(h.backoff)
	} else {
		// Until it counts dead, a failing holder's checks are spread so that the DeadChecks-th
		// comes DeadAfter after the first.
		step := l.interval
		if l.deadChecks > 1 && l.deadAfter > 0 {
			step = l.deadAfter / time.Duration(l.deadChecks-1)
		}
		h.next = now.Add(max(step, 100*time.Millisecond))
	}
	return h.Dead != wasDead
}

// statuses is a snapshot of every holder followed.
func (l *liveness) statuses() []HolderStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]HolderStatus, 0, len(l.holders))
	for _, h := range l.holders {
		out = append(out, h.HolderStatus)
	}
	return out
}
