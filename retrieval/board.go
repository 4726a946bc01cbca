package retrieval

import (
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// boardRecent is how many ended piece fetches the board keeps: enough to cover the life of any
// fetch in flight on a busy client, and a bound on its memory.
const boardRecent = 256

// holdRecheck is how often a hedge held back (fetchBoard.hold) is looked at again.
const holdRecheck = 5 * time.Millisecond

// fetchBoard follows the client's piece fetches, of every read at once: which are in flight and
// when each is due (its node's P95, or HedgeAfter), and how the last ones ended, in time or late.
// A fetch past its P95 says its node is slow only if fetches from other nodes are answering in
// time meanwhile; when they are as late (the client's machine or its link stalled, as on a loaded
// host), a hedge would only add load, and marking the node late (Estimator.Late) would make the
// next reads decode around a healthy node.
type fetchBoard struct {
	mu       sync.Mutex
	inflight map[*boardFetch]struct{}
	ended    [boardRecent]boardEnd // a ring, oldest overwritten
	next     int
}

// boardFetch is one fetch in flight.
type boardFetch struct {
	peer       peer.ID
	start, due time.Time
}

// boardEnd is one fetch that brought its bytes.
type boardEnd struct {
	peer   peer.ID
	at     time.Time
	inTime bool // by its due time
}

func newFetchBoard() *fetchBoard {
	return &fetchBoard{inflight: make(map[*boardFetch]struct{})}
}

// start notes a fetch from p, due by due.
func (b *fetchBoard) start(p peer.ID, start, due time.Time) *boardFetch {
	f := &boardFetch{peer: p, start: start, due: due}
	b.mu.Lock()
	b.inflight[f] = struct{}{}
	b.mu.Unlock()
	return f
}

// end notes that f is over; brought says it brought its bytes (not failed nor cancelled).
func (b *fetchBoard) end(f *boardFetch, brought bool, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.inflight, f)
	if brought {
		b.ended[b.next] = boardEnd{peer: f.peer, at: now, inTime: !now.After(f.due)}
		b.next = (b.next + 1) % boardRecent
	}
}

// others counts, among the fetches from nodes other than f's during f's life: those that ended in
// time (inTime), those that ended late (lateEnded; lateRecent of them since recent), those in
// flight past their due time (lateNow) and those in flight not due yet (pending).
func (b *fetchBoard) others(f *boardFetch, now, recent time.Time) (inTime, lateEnded, lateRecent, lateNow, pending int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for g := range b.inflight {
		switch {
		case g.peer == f.peer:
		case now.After(g.due):
			lateNow++
		default:
			pending++
		}
	}
	for _, e := range b.ended {
		switch {
		case e.peer == f.peer || e.at.Before(f.start):
		case e.inTime:
			inTime++
		default:
			lateEnded++
			if !e.at.Before(recent) {
				lateRecent++
			}
		}
	}
	return inTime, lateEnded, lateRecent, lateNow, pending
}

// hold says whether the hedge of f, past its due time, waits: since f started, no more fetches
// from other nodes answered in time than are late now (in flight past their due time, or ended late
// since recent: the last of a stall's fetches come a few milliseconds apart), and the others are
// not all over (those not due yet will tell). With f alone, or the others answering in time, f's
// node is the slow one and the hedge goes ahead.
func (b *fetchBoard) hold(f *boardFetch, now, recent time.Time) bool {
	inTime, _, lateRecent, lateNow, pending := b.others(f, now, recent)
	return inTime <= lateNow+lateRecent && lateNow+lateRecent+pending > 0
}

// nodeLate says whether f, cancelled past its due time, shows its node late: the fetches from
// other nodes during its life mostly answered in time (or there were none). When they were late
// too, the machine was.
func (b *fetchBoard) nodeLate(f *boardFetch, now time.Time) bool {
	inTime, lateEnded, _, lateNow, _ := b.others(f, now, now)
	return inTime > lateEnded+lateNow || inTime+lateEnded+lateNow == 0
}
