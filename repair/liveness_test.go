package repair

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// TestLivenessRule: a holder counts dead only after DeadChecks failed checks in a row that span
// DeadAfter; a success in between starts the count again; a dead holder is checked with a
// growing backoff, and one answer makes it live.
func TestLivenessRule(t *testing.T) {
	l := newLiveness(nil, 10*time.Second, 3, 30*time.Second)
	p := peer.ID("holder")
	t0 := time.Unix(1_000_000, 0)
	l.track(peer.AddrInfo{ID: p}, t0)
	h := l.holders[p]
	fail := errors.New("connection refused")
	steps := []struct {
		at   time.Duration
		err  error
		dead bool
	}{
		{0, fail, false},
		{10 * time.Second, fail, false},
		{15 * time.Second, fail, false}, // 3 failures, but over 15 s only
		{20 * time.Second, nil, false},  // it answers: the count starts again
		{30 * time.Second, fail, false},
		{45 * time.Second, fail, false},
		{60 * time.Second, fail, true}, // 3 failures over 30 s
	}
	for i, s := range steps {
		l.record(h, s.err, t0.Add(s.at))
		if l.dead(p) != s.dead {
			t.Fatalf("step %d (%v): dead = %v, want %v (%+v)", i, s.at, l.dead(p), s.dead, h.HolderStatus)
		}
	}
	// Dead: checked again later and later, up to the cap.
	prev := time.Duration(0)
	for i := range 12 {
		now := h.next
		l.record(h, fail, now)
		gap := h.next.Sub(now)
		if gap < prev || gap > maxDeadBackoff {
			t.Fatalf("dead check %d: next in %v after %v", i, gap, prev)
		}
		prev = gap
	}
	if prev != maxDeadBackoff {
		t.Fatalf("backoff stops at %v, want %v", prev, maxDeadBackoff)
	}
	l.record(h, nil, h.next)
	if l.dead(p) || h.Fails != 0 {
		t.Fatalf("a dead holder that answers stays dead: %+v", h.HolderStatus)
	}
}

// TestLivenessChecks runs the checks against a ping that fails for one holder only.
func TestLivenessChecks(t *testing.T) {
	down := peer.ID("down")
	ping := func(_ context.Context, p peer.AddrInfo) (time.Duration, error) {
		if p.ID == down {
			return 0, errors.New("dial refused")
		}
		return time.Millisecond, nil
	}
	l := newLiveness(ping, 20*time.Millisecond, 2, 50*time.Millisecond)
	now := time.Now()
	l.track(peer.AddrInfo{ID: down}, now)
	l.track(peer.AddrInfo{ID: "up"}, now)
	deadline := time.Now().Add(5 * time.Second)
	for !l.dead(down) {
		if time.Now().After(deadline) {
			t.Fatalf("the holder that does not answer is not dead: %+v", l.statuses())
		}
		l.checkDue(t.Context(), time.Now())
		time.Sleep(5 * time.Millisecond)
	}
	if l.dead("up") || !l.checked("up") {
		t.Fatalf("the holder that answers: %+v", l.statuses())
	}
}
