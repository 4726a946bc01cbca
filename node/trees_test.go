package node_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/node"
	"github.com/dstore-net/dstore/node/nodetest"
	"github.com/dstore-net/dstore/node/p2p/p2ptest"
	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/storetest"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/prover"
	"github.com/dstore-net/dstore/sharding"
)

// slotParams commit to the test shards in 256-byte cells, 16 per piece: 157 cells for the
// 40,000-byte shards of slotData, the last one short.
var slotParams = prover.Params{Samples: 3, MaxDepth: 16, CellSize: 256}

// slotData is a file of 10 segments: shards of 9 pieces of 4 KiB and a last one of 3136 bytes.
// Its bytes do not repeat, so no two cells are alike.
var slotData = func() []byte {
	b := make([]byte, 80000)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}()

var testAccount = [20]byte{0xaa, 1, 2, 3}

func startSlotNode(t *testing.T, p prover.Params) *node.Node {
	t.Helper()
	return nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Proofs: p, Account: testAccount})
}

// shardBytes derives shard of data the way a client does, from its own import of the file.
func shardBytes(t *testing.T, data []byte, shard int) []byte {
	t.Helper()
	var out []byte
	_, err := sharding.Import(t.Context(), bytes.NewReader(data), testSharding, func(s sharding.Segment) error {
		out = append(out, s.Pieces[shard]...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitReady asks n for its slot root of shard until the tree is built. While it is not, the
// answer must carry no root and the shard's size.
func waitReady(t *testing.T, c *wire.Client, n *node.Node, m *sharding.Manifest, shard int) wire.SlotInfo {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for {
		info, err := c.SlotRoot(ctx, n.ID(), m.Root, shard)
		if err != nil {
			t.Fatalf("slot root of shard %d: %v", shard, err)
		}
		if info.Ready {
			return info
		}
		if info.Root != ([32]byte{}) || info.Size != m.ShardSize() {
			t.Fatalf("while building: %+v", info)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("shard %d: no tree after 10s", shard)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// verify checks each path against the test's own copy of its cell.
func verify(p prover.Params, info wire.SlotInfo, shard []byte, cells []uint64, paths [][]fr.Element) error {
	var root fr.Element
	if err := root.SetBytesCanonical(info.Root[:]); err != nil {
		return err
	}
	for i, c := range cells {
		cell := shard[min(int(c)*p.CellSize, len(shard)):min(int(c+1)*p.CellSize, len(shard))]
		if err := prover.VerifyOpening(p, root, int64(len(shard)), c, cell, paths[i]); err != nil {
			return err
		}
	}
	return nil
}

func TestSlotRootAndOpenings(t *testing.T) {
	n := startSlotNode(t, slotParams)
	c, _ := client(t, n)
	ctx := t.Context()
	m := upload(t, c, n, slotData)

	shards := make([][]byte, m.K+m.M)
	infos := make([]wire.SlotInfo, m.K+m.M)
	for i := range shards {
		shards[i] = shardBytes(t, slotData, i)
		want, err := prover.Commit(ctx, prover.BytesSlot(shards[i]), slotParams)
		if err != nil {
			t.Fatal(err)
		}
		infos[i] = waitReady(t, c, n, m, i)
		if infos[i] != (wire.SlotInfo{Ready: true, Root: want.RootBytes(), Cells: want.Cells(), Size: want.Size(), Account: testAccount}) {
			t.Fatalf("shard %d: got %+v, want root %x of %d cells, %d bytes", i, infos[i], want.RootBytes(), want.Cells(), want.Size())
		}
		tree, err := n.SlotTree(ctx, m.Root, i)
		if err != nil || tree.RootBytes() != want.RootBytes() {
			t.Fatalf("SlotTree of shard %d: %v", i, err)
		}
	}
	if held, err := n.HeldShards(ctx, m.Root); err != nil || !slices.Equal(held, []int{0, 1, 2}) {
		t.Fatalf("held shards %v, %v", held, err)
	}
	if got, err := n.Manifest(ctx, m.Root); err != nil || !got.Root.Equals(m.Root) {
		t.Fatalf("manifest: %v", err)
	}
	if n.Proofs() != slotParams {
		t.Fatalf("proofs %v", n.Proofs())
	}

	// Random cells, the first and the last, and a repeat, in no particular order.
	cellsOf := infos[1].Cells
	cells := []uint64{cellsOf - 1, 0, 17, 17}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 60 {
		cells = append(cells, rng.Uint64N(cellsOf))
	}
	paths, err := c.SlotOpenings(ctx, n.ID(), m.Root, 1, cells)
	if err != nil {
		t.Fatal(err)
	}
	if err := verify(slotParams, infos[1], shards[1], cells, paths); err != nil {
		t.Fatalf("openings: %v", err)
	}
	// A path proves its own cell only: not another cell's bytes, nor another shard's.
	if err := verify(slotParams, infos[1], shards[1], []uint64{18}, paths[2:3]); !errors.Is(err, prover.ErrBadOpening) {
		t.Fatalf("the path of cell 17 as cell 18: %v", err)
	}
	if err := verify(slotParams, infos[1], shards[0], cells[:1], paths[:1]); !errors.Is(err, prover.ErrBadOpening) {
		t.Fatalf("a cell of shard 0 against the root of shard 1: %v", err)
	}
	if paths, err := c.SlotOpenings(ctx, n.ID(), m.Root, 2, nil); err != nil || len(paths) != 0 {
		t.Fatalf("no cells: %d paths, %v", len(paths), err)
	}

	unknown := cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
	tests := []struct {
		name  string
		root  cid.Cid
		shard int
		cells []uint64
		want  error
	}{
		{"cell out of range", m.Root, 1, []uint64{3, cellsOf}, wire.ErrBadRequest},
		{"too many cells", m.Root, 1, make([]uint64, wire.MaxOpenings+1), wire.ErrBadRequest},
		{"unknown root", unknown, 0, []uint64{0}, wire.ErrNotFound},
		{"shard beyond the file", m.Root, 3, []uint64{0}, wire.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.SlotOpenings(ctx, n.ID(), tt.root, tt.shard, tt.cells); !errors.Is(err, tt.want) {
				t.Fatalf("openings: got %v, want %v", err, tt.want)
			}
			if tt.want == wire.ErrNotFound {
				if _, err := c.SlotRoot(ctx, n.ID(), tt.root, tt.shard); !errors.Is(err, tt.want) {
					t.Fatalf("root: got %v, want %v", err, tt.want)
				}
				if _, err := n.SlotTree(ctx, tt.root, tt.shard); !errors.Is(err, node.ErrNotHeld) {
					t.Fatalf("SlotTree: got %v, want ErrNotHeld", err)
				}
			}
		})
	}
	if _, err := n.HeldShards(ctx, unknown); !errors.Is(err, node.ErrNotHeld) || !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("held shards of an unknown root: %v", err)
	}

	// A piece damaged on disk: the cells over it are refused, the others still open.
	nodetest.CorruptPiece(t, n, m.Root, 1, 2) // cells 32 to 47
	if _, err := c.SlotOpenings(ctx, n.ID(), m.Root, 1, []uint64{5, 40}); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("a cell of a corrupt piece: %v", err)
	}
	paths, err = c.SlotOpenings(ctx, n.ID(), m.Root, 1, []uint64{5, 31, 48})
	if err != nil {
		t.Fatal(err)
	}
	if err := verify(slotParams, infos[1], shards[1], []uint64{5, 31, 48}, paths); err != nil {
		t.Fatalf("cells around a corrupt piece: %v", err)
	}
}

// The node checks an openings request itself, whatever the client does.
func TestSlotOpeningsOnTheWire(t *testing.T) {
	n := startSlotNode(t, slotParams)
	c, _ := client(t, n)
	m := upload(t, c, n, slotData)
	waitReady(t, c, n, m, 0)
	h := p2ptest.NewHost(t, p2ptest.Knowing(n))
	open := func(payload []byte) []byte {
		return append(wire.EncodeRequest(wire.Request{Root: m.Root, Size: int64(len(payload))}), payload...)
	}
	tests := []struct {
		name string
		msg  []byte
		want error
	}{
		{"too many cells", open(wire.EncodeCells(make([]uint64, wire.MaxOpenings+1))), wire.ErrBadRequest},
		{"count past the cells", open([]byte{5, 1, 2}), wire.ErrBadRequest},
		{"bytes after the cells", open([]byte{1, 1, 7}), wire.ErrBadRequest},
		{"cell out of range", open(wire.EncodeCells([]uint64{157})), wire.ErrBadRequest},
		{"payload over the bound", open(make([]byte, wire.MaxCellsSize+1)), wire.ErrTooLarge},
		{"no root", append(wire.EncodeRequest(wire.Request{Size: 2}), 1, 0), wire.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := rawExchange(t, h, n, wire.ProtoSlotOpen, tt.msg)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if got := (&wire.RemoteError{Code: resp.Code, Msg: resp.Msg}); !errors.Is(got, tt.want) || resp.Msg == "" {
				t.Fatalf("answer %d %q, want %v", resp.Code, resp.Msg, tt.want)
			}
		})
	}
	resp, err := rawExchange(t, h, n, wire.ProtoSlotRoot, wire.EncodeRequest(wire.Request{Root: m.Root, Size: 1}))
	if err != nil || !errors.Is(&wire.RemoteError{Code: resp.Code}, wire.ErrTooLarge) {
		t.Fatalf("a payload on a slot root request: %+v, %v", resp, err)
	}
}

// A shard with a missing piece is not held; a damaged one fails its tree; both get their tree
// once repaired.
func TestSlotOfPartialAndDamagedShards(t *testing.T) {
	n := startSlotNode(t, slotParams)
	c, _ := client(t, n)
	ctx := t.Context()
	m := uploadPieces(t, c, n, slotData, func(shard, seg int) bool { return shard != 2 || seg != 3 })
	nodetest.CorruptPiece(t, n, m.Root, 1, 0)
	// And another piece of its segment: the node, which holds every shard, cannot rebuild it in
	// place from k pieces of its own, and no other node holds the file.
	nodetest.CorruptPiece(t, n, m.Root, 0, 0)
	storeManifest(t, c, n, m)

	if held, err := n.HeldShards(ctx, m.Root); err != nil || !slices.Equal(held, []int{0, 1}) {
		t.Fatalf("held shards %v, %v", held, err)
	}
	if _, err := c.SlotRoot(ctx, n.ID(), m.Root, 2); !errors.Is(err, wire.ErrNotFound) {
		t.Fatalf("shard with a missing piece: %v", err)
	}
	if _, err := n.SlotTree(ctx, m.Root, 2); !errors.Is(err, node.ErrNotHeld) {
		t.Fatalf("SlotTree of a shard with a missing piece: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := n.SlotTree(tctx, m.Root, 1); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("SlotTree of a damaged shard: %v", err)
	}
	if _, err := c.SlotRoot(ctx, n.ID(), m.Root, 1); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("slot root of a damaged shard: %v", err)
	}
	if _, err := c.SlotOpenings(ctx, n.ID(), m.Root, 1, []uint64{100}); !errors.Is(err, wire.ErrCorrupt) {
		t.Fatalf("openings of a damaged shard: %v", err)
	}

	// Repair both: store the missing and the damaged piece again.
	uploadPieces(t, c, n, slotData, func(shard, seg int) bool { return shard == 2 && seg == 3 || shard == 1 && seg == 0 })
	for shard := 1; shard <= 2; shard++ {
		info := waitReady(t, c, n, m, shard)
		want, err := prover.Commit(ctx, prover.BytesSlot(shardBytes(t, slotData, shard)), slotParams)
		if err != nil {
			t.Fatal(err)
		}
		if info.Root != want.RootBytes() {
			t.Fatalf("shard %d after repair: root %x, want %x", shard, info.Root, want.RootBytes())
		}
	}
}

func treeVersion(t *testing.T, n *node.Node, root cid.Cid, shard int) uint64 {
	t.Helper()
	return storetest.TreeVersion(t, n.Store(), root, shard)
}

// Trees are kept across a restart; a missing one is built at start, without being asked for.
func TestSlotTreesSurviveARestart(t *testing.T) {
	n := startSlotNode(t, slotParams)
	c, _ := client(t, n)
	m := upload(t, c, n, slotData)
	var infos []wire.SlotInfo
	for shard := range m.K + m.M {
		infos = append(infos, waitReady(t, c, n, m, shard))
	}
	v0 := treeVersion(t, n, m.Root, 0)
	storetest.DeleteTree(t, n.Store(), m.Root, 1)

	n = nodetest.Restart(t, n, nil)
	if n.Proofs() != slotParams || n.Config().Account != testAccount {
		t.Fatalf("restarted with other settings: %v", n.Config())
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for {
		has, err := n.Store().HasTree(ctx, m.Root, 1)
		if err != nil {
			t.Fatal(err)
		}
		if has {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the missing tree was not built at start")
		case <-time.After(20 * time.Millisecond):
		}
	}
	c, _ = client(t, n)
	info, err := c.SlotRoot(ctx, n.ID(), m.Root, 0)
	if err != nil || info != infos[0] {
		t.Fatalf("after the restart: %+v, %v; want %+v", info, err, infos[0])
	}
	if info := waitReady(t, c, n, m, 1); info != infos[1] {
		t.Fatalf("rebuilt tree: %+v, want %+v", info, infos[1])
	}
	cells := []uint64{0, 77, info.Cells - 1}
	paths, err := c.SlotOpenings(ctx, n.ID(), m.Root, 0, cells)
	if err != nil {
		t.Fatal(err)
	}
	if err := verify(slotParams, infos[0], shardBytes(t, slotData, 0), cells, paths); err != nil {
		t.Fatal(err)
	}
	if v := treeVersion(t, n, m.Root, 0); v != v0 {
		t.Fatalf("the tree of shard 0 was written again after the restart (version %d, was %d)", v, v0)
	}
}

// A shard too large for the node's proof parameters is skipped, and the node keeps serving.
func TestShardTooLargeForTheProofs(t *testing.T) {
	small := prover.Params{Samples: 1, MaxDepth: 4, CellSize: 64} // slots of at most 1 KiB
	n := startSlotNode(t, small)
	c, _ := client(t, n)
	m := upload(t, c, n, slotData)
	if _, err := c.SlotRoot(t.Context(), n.ID(), m.Root, 0); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("slot root: %v", err)
	}
	if _, err := n.SlotTree(t.Context(), m.Root, 0); !errors.Is(err, prover.ErrSlotTooLarge) {
		t.Fatalf("SlotTree: %v", err)
	}
	tiny := upload(t, c, n, []byte("a file smaller than one cell"))
	info := waitReady(t, c, n, tiny, 2)
	want, err := prover.Commit(t.Context(), prover.BytesSlot(shardBytes(t, []byte("a file smaller than one cell"), 2)), small)
	if err != nil || info.Root != want.RootBytes() {
		t.Fatalf("a small file's shard: root %x, want %x (%v)", info.Root, want.RootBytes(), err)
	}
}

func TestConfigProofs(t *testing.T) {
	tests := []struct {
		name   string
		proofs prover.Params
		ok     bool
	}{
		{"zero means devnet", prover.Params{}, true},
		{"devnet", prover.DevnetParams, true},
		{"test", slotParams, true},
		{"no samples", prover.Params{MaxDepth: 10, CellSize: 256}, false},
		{"too deep", prover.Params{Samples: 1, MaxDepth: 41, CellSize: 256}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := node.Config{Repo: "x", Proofs: tt.proofs}.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate: %v", err)
			}
			if !tt.ok && !errors.Is(err, prover.ErrInvalidParams) {
				t.Fatalf("not ErrInvalidParams: %v", err)
			}
		})
	}
	n := nodetest.Start(t, t.TempDir(), nil)
	if n.Proofs() != prover.DevnetParams {
		t.Fatalf("default proofs %v", n.Proofs())
	}
}

// A node with LazyTrees builds no tree when a manifest arrives, only when a client asks for one.
func TestLazyTreesAreBuiltWhenAsked(t *testing.T) {
	n := nodetest.StartConfig(t, node.Config{Repo: t.TempDir(), Proofs: slotParams, LazyTrees: true})
	c, _ := client(t, n)
	m := upload(t, c, n, slotData)
	// An eager node builds these trees in milliseconds; give it ample time to do so by mistake.
	time.Sleep(300 * time.Millisecond)
	for shard := range m.K + m.M {
		if has, err := n.Store().HasTree(t.Context(), m.Root, shard); err != nil || has {
			t.Fatalf("shard %d: tree built before anyone asked (%v)", shard, err)
		}
	}
	waitReady(t, c, n, m, 2)
	if has, err := n.Store().HasTree(t.Context(), m.Root, 2); err != nil || !has {
		t.Fatalf("shard 2: no tree stored after the client asked (%v)", err)
	}
	if has, _ := n.Store().HasTree(t.Context(), m.Root, 0); has {
		t.Fatal("shard 0: tree built though only shard 2 was asked for")
	}
}
