package retrieval

import (
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/p2p/p2ptest"
)

func boardTestPeer(t testing.TB) peer.ID {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A fetch cancelled as a loser past its node's P95 marks its node late only when the fetches from
// the other nodes during its life answered in time (or there were none): when they were as late,
// the machine was slow, and a healthy node found late would make the next reads decode around it.
func TestLoserMarksItsNodeLateOnlyWhenOthersWereInTime(t *testing.T) {
	const (
		ran  = 60 * time.Millisecond // how long the loser ran
		due  = 10 * time.Millisecond // its node's P95, and the others'
		size = 1 << 10
	)
	type other struct {
		ended bool          // ended (brought its bytes) or still in flight
		after time.Duration // when, after the loser's start, it ended
		due   time.Duration // its due time after the loser's start
	}
	tests := []struct {
		name     string
		ran      time.Duration
		others   []other
		wantLate bool
	}{
		{"alone", ran, nil, true},
		{"the others in time", ran, []other{{true, 5 * time.Millisecond, due}, {true, 8 * time.Millisecond, due}}, true},
		{"the others ended as late", ran, []other{{true, 50 * time.Millisecond, due}, {true, 55 * time.Millisecond, due}}, false},
		{"the others in flight as late", ran, []other{{false, 0, due}, {false, 0, due}}, false},
		{"most others as late", ran, []other{{true, 5 * time.Millisecond, due}, {true, 50 * time.Millisecond, due}, {false, 0, due}}, false},
		{"most others in time", ran, []other{{true, 5 * time.Millisecond, due}, {true, 6 * time.Millisecond, due}, {true, 50 * time.Millisecond, due}}, true},
		{"within its P95", time.Millisecond, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := p2ptest.NewHost(t)
			c, err := New(Config{Host: h})
			if err != nil {
				t.Fatal(err)
			}
			p := boardTestPeer(t)
			peers := []peer.ID{p}
			for range tt.others {
				peers = append(peers, boardTestPeer(t))
			}
			// Every node measured fast: a fetch of size bytes is due within a few milliseconds.
			for _, q := range peers {
				for range 10 {
					c.est.Observe(q, time.Millisecond, 2*time.Millisecond, size)
				}
			}
			if p95 := c.est.P95(p, size); p95 >= tt.ran && tt.ran == ran {
				t.Fatalf("the node's P95 is %v, not under the %v the loser ran", p95, tt.ran)
			}
			now := time.Now()
			start := now.Add(-tt.ran)
			f := c.board.start(p, start, start.Add(due))
			for i, o := range tt.others {
				g := c.board.start(peers[i+1], start.Add(time.Millisecond), start.Add(o.due))
				if o.ended {
					c.board.end(g, true, start.Add(o.after))
				}
			}
			c.noteLoser(p, f, 0, size)
			c.board.end(f, false, now)
			if late := !c.est.lateSince(p).IsZero(); late != tt.wantLate {
				t.Fatalf("node found late: %v, want %v (its estimate %+v)", late, tt.wantLate, c.est.Estimate(p))
			}
			if got := c.est.Suspect(p); got != tt.wantLate {
				t.Fatalf("node suspect: %v, want %v", got, tt.wantLate)
			}
		})
	}
}
