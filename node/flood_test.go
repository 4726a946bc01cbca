package node_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// The node under attack: short header and payload deadlines so that the attacks end quickly, few
// request slots so that one peer could take them all if they were not bounded per peer.
var floodConfig = node.Config{
	HeaderTimeout:     time.Second,
	MinPayloadRate:    32 << 10,
	StreamTimeout:     20 * time.Second,
	MaxStreams:        24,
	MaxStreamsPerPeer: 8,
}

// honestBound is how long the honest client's reads may take while the node is under attack:
// generous, since the attack and the test share the machine's cores.
const honestBound = 30 * time.Second

// target is a node holding one small file, and what an honest client expects to read from it.
type target struct {
	n      *node.Node
	honest *wire.Client
	m      *sharding.Manifest
	pieces map[wire.PieceRef][]byte
	big    wire.PieceRef // a 1 MiB piece, the costliest thing to ask for
}

func startTarget(t *testing.T) *target {
	t.Helper()
	cfg := floodConfig
	cfg.Repo = t.TempDir()
	n := nodetest.StartConfig(t, cfg)
	c, _ := client(t, n)
	data := make([]byte, 30_000)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	tg := &target{n: n, honest: c, m: upload(t, c, n, data), pieces: map[wire.PieceRef][]byte{}}
	_, err := sharding.Import(t.Context(), bytes.NewReader(data), testSharding, func(s sharding.Segment) error {
		for i, p := range s.Pieces {
			tg.pieces[wire.PieceRef{Root: tg.m.Root, Shard: i, Segment: s.Index}] = bytes.Clone(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 31)
	}
	tg.big = wire.PieceRef{Root: testRootCID(t, "big"), Shard: 0, Segment: 0}
	if err := n.Store().PutPiece(t.Context(), store.Ref{Root: tg.big.Root}, sha256.Sum256(big), big); err != nil {
		t.Fatal(err)
	}
	tg.pieces[tg.big] = big
	return tg
}

// readAll reads every piece the node holds as an honest client, within honestBound, and compares
// each with what was stored, byte for byte.
func (tg *target) readAll(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, honestBound)
	defer cancel()
	for ref, want := range tg.pieces {
		var got []byte
		var err error
		for attempt := 0; attempt < 3; attempt++ { // a busy node may be asked again, as clients do
			if got, err = tg.honest.GetPiece(ctx, tg.n.ID(), ref, 0, -1); !errors.Is(err, wire.ErrBusy) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			return fmt.Errorf("piece %v: %w", ref, err)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("piece %v: %d bytes differ from the %d stored", ref, len(got), len(want))
		}
	}
	return nil
}

// stranger is a fresh libp2p identity on loopback that knows the node's addresses, with no
// resource limits of its own: only the node's limits hold it back.
func stranger(t *testing.T, n *node.Node) host.Host {
	t.Helper()
	h := p2ptest.NewHost(t, p2ptest.Libp2p(libp2p.ResourceManager(&network.NullResourceManager{})), p2ptest.Knowing(n))
	if err := h.Connect(t.Context(), n.Host().Peerstore().PeerInfo(n.ID())); err != nil {
		t.Fatal(err)
	}
	return h
}

// underAttack runs attack until it returns or its time is up, and the honest client's reads in the
// middle of it; both must succeed, and every piece must still read back afterwards.
func underAttack(t *testing.T, tg *target, attack func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	started := make(chan struct{})
	g, gctx := errgroup.WithContext(ctx)
	ended := make(chan error, 1)
	g.Go(func() error {
		err := attack(contextWithStart(gctx, started))
		ended <- err
		return err
	})
	select {
	case <-started:
	case err := <-ended:
		select {
		case <-started:
		default:
			t.Fatalf("the attack ended before it started: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the attack did not start")
	}
	begin := time.Now()
	if err := tg.readAll(ctx); err != nil {
		t.Fatalf("the honest client under attack: %v", err)
	}
	t.Logf("honest reads of %d pieces under attack took %v", len(tg.pieces), time.Since(begin).Round(time.Millisecond))
	if err := g.Wait(); err != nil {
		t.Fatalf("the attack: %v", err)
	}
	if err := tg.readAll(t.Context()); err != nil {
		t.Fatalf("after the attack: %v", err)
	}
}

type startKey struct{}

func contextWithStart(ctx context.Context, started chan struct{}) context.Context {
	return context.WithValue(ctx, startKey{}, started)
}

// attackStarted tells underAttack that the attack is in full swing; later calls do nothing.
func attackStarted(ctx context.Context) {
	ch := ctx.Value(startKey{}).(chan struct{})
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// A stranger opens 600 streams and sends nothing on a third of them and one byte of a header on the
// others: they hold no request slot, the resource manager resets them past the per-peer stream
// limit, and the node ends every one that started a header within its header timeout.
func TestFloodOfSilentStreams(t *testing.T) {
	tg := startTarget(t)
	h := stranger(t, tg.n)
	var opened, refused atomic.Int64
	var partial []network.Stream
	underAttack(t, tg, func(ctx context.Context) error {
		defer attackStarted(ctx)
		for i := range 600 {
			if ctx.Err() != nil {
				break
			}
			s, err := h.NewStream(ctx, tg.n.ID(), protocol.ID(wire.ProtoGetPiece))
			if err == nil && i%3 != 0 {
				_, err = s.Write([]byte{1}) // the version byte of a header that never ends
				if err == nil {
					partial = append(partial, s)
				}
			}
			if err != nil {
				if refused.Add(1) == 1 {
					t.Logf("the first stream refused (%d): %v", i, err)
				}
				continue
			}
			opened.Add(1)
			if i == 300 {
				attackStarted(ctx)
			}
		}
		return nil
	})
	t.Logf("%d streams opened, %d refused", opened.Load(), refused.Load())
	if len(partial) == 0 {
		t.Fatal("no stream started a header")
	}
	// The node ended each half-sent header: an error answer or a reset, never silence.
	var answered, reset int
	defer func() { t.Logf("half-sent headers: %d answered with an error, %d reset", answered, reset) }()
	for _, s := range partial {
		_ = s.SetReadDeadline(time.Now().Add(15 * time.Second))
		resp, err := wire.ReadResponse(bufio.NewReader(s))
		switch {
		case err == nil && resp.Code == 0:
			t.Fatal("a half-sent header was answered as a request")
		case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
			t.Fatalf("the node held a half-sent header past its timeout: %v", err)
		case err == nil:
			answered++
		default:
			reset++
		}
		s.Reset()
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// A stranger sends headers that are garbage, claim huge lengths or carry kilobytes of junk, on
// many streams at once: each is answered with an error at once and none disturbs an honest reader.
func TestFloodOfOversizedHeaders(t *testing.T) {
	tg := startTarget(t)
	h := stranger(t, tg.n)
	root := tg.m.Root.Bytes()
	junk := [][]byte{
		bytes.Repeat([]byte{0xff}, 64<<10),                                                       // 64 KiB of varint continuation bytes
		append([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f}, make([]byte, 4096)...),                   // a root of 4 GiB
		append(append([]byte{1, byte(len(root))}, root...), bytes.Repeat([]byte{0x80}, 4096)...), // a shard that never ends
		wire.EncodeRequest(wire.Request{Root: tg.m.Root, Size: wire.MaxPieceSize + 1}),
	}
	var answered, reset atomic.Int64
	underAttack(t, tg, func(ctx context.Context) error {
		g, ctx := errgroup.WithContext(ctx)
		g.SetLimit(16)
		for i := range 300 {
			if i == 50 {
				attackStarted(ctx)
			}
			g.Go(func() error {
				s, err := h.NewStream(ctx, tg.n.ID(), protocol.ID(wire.ProtoStorePiece))
				if err != nil {
					reset.Add(1)
					return nil
				}
				defer s.Reset()
				_ = s.SetDeadline(time.Now().Add(15 * time.Second))
				_, _ = s.Write(junk[i%len(junk)])
				resp, err := wire.ReadResponse(bufio.NewReader(s))
				switch {
				case err == nil && resp.Code != 0:
					answered.Add(1)
				case err == nil:
					return fmt.Errorf("junk header %d was accepted", i%len(junk))
				case isTimeout(err):
					return fmt.Errorf("junk header %d was not answered: %v", i%len(junk), err)
				default:
					reset.Add(1)
				}
				return nil
			})
		}
		attackStarted(ctx)
		return g.Wait()
	})
	t.Logf("%d junk headers answered with an error, %d streams reset", answered.Load(), reset.Load())
	if answered.Load() == 0 {
		t.Fatal("no junk header was answered")
	}
}

// A stranger sends headers of pieces the manifest names and then trickles their bytes, one every
// 100 ms, on more streams than it has request slots: past its per-peer bound it is refused as busy
// at once, and each trickle is cut off once its payload is late, while honest reads go on.
//
// The attack is in full swing once the stranger's streams past its bound are refused: its other
// streams then hold its slots until they are cut off, HeaderTimeout + size/MinPayloadRate after
// their header (about 1.1 s). (Waiting for ten trickled bytes, 1.1 s, raced with that cut on a
// loaded machine.) A trickle is classified by the node's answer, also when a write fails first: the
// node closes a stream it answered, which over QUIC fails the writer's next write (STOP_SENDING).
func TestFloodOfSlowWriters(t *testing.T) {
	tg := startTarget(t)
	h := stranger(t, tg.n)
	// A stranger's writes are refused at the header; the slow writer is a client the node stores
	// for, trickling pieces the manifest names.
	tg.n.Allow(h.ID())
	const size = 64 << 10
	const trickles = 30 // more than the node's request slots
	payload := bytes.Repeat([]byte{7}, size)
	sum := sha256.Sum256(payload)
	var busy, cut atomic.Int64
	var longest atomic.Int64
	refusals := int64(trickles - floodConfig.MaxStreamsPerPeer)
	underAttack(t, tg, func(ctx context.Context) error {
		g, ctx := errgroup.WithContext(ctx)
		for i := range trickles {
			g.Go(func() error {
				s, err := h.NewStream(ctx, tg.n.ID(), protocol.ID(wire.ProtoStorePiece))
				if err != nil {
					return err
				}
				defer s.Reset()
				begin := time.Now()
				seg := i % tg.m.NumSegments()
				ref := wire.Request{Root: tg.m.Root, Shard: i % (tg.m.K + tg.m.M), Segment: seg, Sum: sum, Size: tg.m.SegmentPieceSize(seg)}
				if _, err := s.Write(wire.EncodeRequest(ref)); err != nil {
					return err
				}
				answer := make(chan error, 1)
				go func() {
					resp, err := wire.ReadResponse(bufio.NewReader(s))
					if err == nil {
						err = &wire.RemoteError{Code: resp.Code, Msg: resp.Msg}
						if resp.Code == 0 {
							err = nil
						}
					}
					answer <- err
				}()
				// ended classifies how the node ended the trickle by its answer: a write that fails
				// (the node answered and closed) waits for the answer too.
				ended := func(err error) error {
					longest.Store(max(longest.Load(), int64(time.Since(begin))))
					switch {
					case errors.Is(err, wire.ErrBusy):
						if busy.Add(1) == refusals {
							attackStarted(ctx)
						}
						return nil
					case err == nil:
						return errors.New("a trickled piece was stored")
					}
					if cut.Add(1) == 1 {
						t.Logf("the first trickle cut off: %v", err)
					}
					return nil
				}
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				for sent := 0; sent < size; sent++ {
					select {
					case err := <-answer:
						return ended(err)
					case <-tick.C:
						if _, err := s.Write(payload[sent : sent+1]); err != nil {
							select {
							case aerr := <-answer:
								return ended(aerr)
							case <-ctx.Done():
								return fmt.Errorf("a write failed (%v) and no answer came", err)
							}
						}
					case <-ctx.Done():
						return fmt.Errorf("a trickle was still going when the attack's time ran out")
					}
				}
				return errors.New("a trickle of 64 KiB at 10 bytes/s ran to its end")
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		if b := busy.Load(); b < refusals {
			return fmt.Errorf("%d of %d trickles refused as busy, want at least %d", b, trickles, refusals)
		}
		return nil
	})
	t.Logf("%d trickles refused as busy, %d cut off, the longest after %v", busy.Load(), cut.Load(), time.Duration(longest.Load()).Round(time.Millisecond))
	if cut.Load() == 0 {
		t.Fatal("no trickle was cut off")
	}
	for i := range trickles {
		if _, err := tg.honest.GetPiece(t.Context(), tg.n.ID(), wire.PieceRef{Root: tg.m.Root, Segment: 1000 + i}, 0, -1); !errors.Is(err, wire.ErrNotFound) {
			t.Fatalf("trickled piece %d: %v, want ErrNotFound", i, err)
		}
	}
}

// A stranger asks for the largest piece the node holds from 64 goroutines as fast as it can: it
// gets its per-peer share of the request slots and is refused as busy past it, while the honest
// client's reads are served.
func TestFloodOfRequests(t *testing.T) {
	tg := startTarget(t)
	h := stranger(t, tg.n)
	c := wire.NewClient(h, wire.WithTimeout(20*time.Second))
	var served, busy atomic.Int64
	underAttack(t, tg, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
		defer cancel()
		g, ctx := errgroup.WithContext(ctx)
		for range 64 {
			g.Go(func() error {
				for range 200 {
					if ctx.Err() != nil {
						return nil
					}
					_, err := c.GetPiece(ctx, tg.n.ID(), tg.big, 0, -1)
					switch {
					case err == nil:
						if served.Add(1) > 20 {
							attackStarted(ctx)
						}
					case errors.Is(err, wire.ErrBusy):
						busy.Add(1)
					case ctx.Err() != nil:
						return nil
					default:
						return err
					}
				}
				return nil
			})
		}
		err := g.Wait()
		attackStarted(ctx)
		return err
	})
	t.Logf("the stranger was served %d times and refused as busy %d times", served.Load(), busy.Load())
	if busy.Load() == 0 {
		t.Fatal("64 concurrent readers were never refused as busy")
	}
}

// Answers count against a peer's memory: with 512 KiB per peer, a whole 1 MiB piece is refused as
// busy and a 4 KiB range of it served.
func TestAnswersCountAgainstPeerMemory(t *testing.T) {
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Limits: node.Limits{MemoryPerPeer: 512 << 10}})
	c, _ := client(t, n)
	big := make([]byte, 1<<20)
	ref := wire.PieceRef{Root: testRootCID(t, "memory")}
	if err := n.Store().PutPiece(t.Context(), store.Ref{Root: ref.Root}, sha256.Sum256(big), big); err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetPiece(t.Context(), n.ID(), ref, 4096, 4096); err != nil || len(got) != 4096 {
		t.Fatalf("a 4 KiB range: %d bytes, %v", len(got), err)
	}
	if _, err := c.GetPiece(t.Context(), n.ID(), ref, 0, -1); !errors.Is(err, wire.ErrBusy) {
		t.Fatalf("a 1 MiB answer with 512 KiB per peer: %v, want ErrBusy", err)
	}
}
