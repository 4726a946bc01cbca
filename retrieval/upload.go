package retrieval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sync/errgroup"

	"github.com/dstore-net/dstore/internal/retry"
	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/retrieval/crypt"
	"github.com/dstore-net/dstore/sharding"
)

// PutOptions tunes one upload.
type PutOptions struct {
	// Params cuts the file; zero values mean sharding's defaults.
	Params sharding.Params
	// Replicas places each shard on this many distinct nodes. Default 1.
	Replicas int
	// Progress, if set, is called with the number of file bytes stored so far.
	Progress func(done int64)
	// Placed, if set, is called when a replica of a shard is assigned to a node: once per replica
	// at the start, and again whenever a replica moves to a spare node. Calls may be concurrent.
	Placed func(shard int, p peer.ID)
	// Recipients, if set, make Put encrypt the file to them first (see Seal): the CID names the
	// ciphertext, and only their identities read the file.
	Recipients []crypt.Recipient
	// TempDir holds the ciphertext while Put uploads it; "" means the OS's temporary directory.
	TempDir string
}

// PutResult describes a finished upload.
type PutResult struct {
	Root      cid.Cid               `json:"-"`
	Manifest  cid.Cid               `json:"-"`
	Size      int64                 `json:"size"`
	K         int                   `json:"k"`
	M         int                   `json:"m"`
	Replicas  int                   `json:"replicas"`
	Segments  int                   `json:"segments"`
	Placement [][]sharding.Location `json:"placement"`
	Moved     int                   `json:"moved"`     // shard replicas moved to a spare node during the upload
	Encrypted bool                  `json:"encrypted"` // the file is an age ciphertext
}

// pieceJob is one piece of one segment queued for a shard's nodes.
type pieceJob struct {
	segment int
	data    []byte
	sum     [32]byte
	share   int64 // file bytes this piece accounts for in progress reports
	seg     *segmentRefs
}

// segmentRefs counts the pieces of one segment not yet stored by every replica of their shard;
// the last one stored hands the segment's buffer back to the importer.
type segmentRefs struct {
	left atomic.Int32
	seg  sharding.Segment
}

func (s *segmentRefs) release() {
	if s.left.Add(-1) == 0 {
		s.seg.Release()
	}
}

// upload is the state of one Put.
type upload struct {
	c        *Client
	src      io.ReaderAt
	shape    *sharding.Manifest // the file's size and cutting parameters, known before its import
	id       wire.UploadID      // the staged upload the nodes keep the pieces under until the commit
	deadline time.Time

	mu     sync.Mutex
	spares []peer.AddrInfo
	taken  map[peer.ID]bool // the nodes given a shard, failed or not: never a spare
	moved  int

	done     atomic.Int64
	progress func(int64)
	placed   func(int, peer.ID)
}

// Put uploads size bytes of src, reading it once, in order: each segment's pieces go to their
// nodes while the import goes on. The nodes stage them under an upload ID, since the file's root
// and manifest exist only once the whole file is read, and the commit that ends the upload brings
// the manifest, against which each node checks the pieces it staged before it keeps them under
// the root. src is read at random only to move a shard to a spare node when a node fails
// mid-upload. With Config.Signer, each node first gets an upload ticket for its shard.
func (c *Client) Put(ctx context.Context, src io.ReaderAt, size int64, opts PutOptions) (*PutResult, *sharding.Manifest, error) {
	if len(opts.Recipients) > 0 {
		return c.putSealed(ctx, src, size, opts)
	}
	p := opts.Params.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	nodes, err := c.uploadNodes(ctx, p, opts)
	if err != nil {
		return nil, nil, err
	}
	head := &headReader{r: io.NewSectionReader(src, 0, size)}
	m, res, err := c.put(ctx, src, sharding.Shape(size, p), nodes, opts, func(fn func(sharding.Segment) error) (*sharding.Manifest, error) {
		return sharding.Import(ctx, head, p, fn)
	})
	if res != nil {
		res.Encrypted = head.encrypted()
	}
	return res, m, err
}

// PutTree uploads a directory tree imported by sharding.ImportDir: its files' bytes are the stored
// stream and its DAG goes into a version 2 manifest. The files are read once in order (as Put
// reads its file), and at random only to move a shard to a spare node.
func (c *Client) PutTree(ctx context.Context, t *sharding.Tree, opts PutOptions) (*PutResult, *sharding.Manifest, error) {
	if len(opts.Recipients) > 0 {
		return nil, nil, ErrEncryptTree
	}
	p := opts.Params.WithDefaults()
	p.ChunkSize = t.ChunkSize
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	nodes, err := c.uploadNodes(ctx, p, opts)
	if err != nil {
		return nil, nil, err
	}
	src := t.Open()
	defer src.Close()
	m, res, err := c.put(ctx, src, sharding.Shape(t.Size, p), nodes, opts, func(fn func(sharding.Segment) error) (*sharding.Manifest, error) {
		return sharding.ImportTree(ctx, t, p, fn)
	})
	return res, m, err
}

// uploadNodes returns the nodes that answer, nearest first, or ErrNotEnoughNodes.
func (c *Client) uploadNodes(ctx context.Context, p sharding.Params, opts PutOptions) ([]peer.AddrInfo, error) {
	replicas := max(opts.Replicas, 1)
	shards := p.K + p.M
	nodes := c.storageNodes(ctx, shards*replicas, nil)
	if need := shards * replicas; len(nodes) < need {
		return nil, fmt.Errorf("%w: %d+%d shards with %d replicas need %d nodes, %d answered", ErrNotEnoughNodes, p.K, p.M, replicas, need, len(nodes))
	}
	return nodes, nil
}

// put stores on nodes the stream src of the file whose size and cutting shape describes, as
// importing calls its fn with each segment: every node gets its upload ticket (with a Signer)
// before its pieces, which it stages, and the manifest with the final placement in the commit.
func (c *Client) put(ctx context.Context, src io.ReaderAt, shape *sharding.Manifest, nodes []peer.AddrInfo, opts PutOptions,
	importing func(fn func(sharding.Segment) error) (*sharding.Manifest, error)) (*sharding.Manifest, *PutResult, error) {
	p := shape.Params()
	size := shape.Size
	replicas := max(opts.Replicas, 1)
	shards := p.K + p.M
	id, err := wire.NewUploadID(p.ChunkSize)
	if err != nil {
		return nil, nil, err
	}
	u := &upload{
		c:        c,
		src:      src,
		shape:    shape,
		id:       id,
		deadline: time.Now().Add(c.cfg.TicketLifetime),
		spares:   nodes[shards*replicas:],
		taken:    make(map[peer.ID]bool),
		progress: opts.Progress,
		placed:   opts.Placed,
	}
	// Replica r of shard i goes to node i + r*shards: distinct nodes for every replica of every shard.
	targets := make([][]peer.AddrInfo, shards)
	for i := range targets {
		for r := 0; r < replicas; r++ {
			targets[i] = append(targets[i], nodes[i+r*shards])
			u.taken[nodes[i+r*shards].ID] = true
			if u.placed != nil {
				u.placed(i, nodes[i+r*shards].ID)
			}
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	queues := make([]chan pieceJob, shards)
	for i := range queues {
		queues[i] = make(chan pieceJob, c.cfg.UploadQueue)
		g.Go(func() error { return u.runShard(gctx, i, targets[i], queues[i]) })
	}
	var m *sharding.Manifest
	g.Go(func() error {
		defer func() {
			for _, q := range queues {
				close(q)
			}
		}()
		var err error
		m, err = importing(func(seg sharding.Segment) error {
			refs := &segmentRefs{seg: seg}
			refs.left.Store(int32(len(seg.Pieces)))
			for i := range seg.Pieces {
				share := seg.Length / int64(shards)
				if i == 0 {
					share += seg.Length % int64(shards)
				}
				select {
				case queues[i] <- pieceJob{segment: seg.Index, data: seg.Pieces[i], sum: seg.Hashes[i], share: share, seg: refs}:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("building the manifest: %w", err)
		}
		if m.Size != size {
			return fmt.Errorf("the file changed during the upload: %d bytes read, %d expected", m.Size, size)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	mcid, err := m.CID()
	if err != nil {
		return nil, nil, err
	}

	manifest := *m
	manifest.Placement = make([][]sharding.Location, shards)
	for i, ts := range targets {
		for _, t := range ts {
			manifest.Placement[i] = append(manifest.Placement[i], c.location(t.ID))
		}
	}
	if err := u.commit(ctx, &manifest); err != nil {
		return nil, nil, err
	}
	return &manifest, &PutResult{
		Root:      m.Root,
		Manifest:  mcid,
		Size:      size,
		K:         p.K,
		M:         p.M,
		Replicas:  replicas,
		Segments:  m.NumSegments(),
		Placement: manifest.Placement,
		Moved:     u.moved,
	}, nil
}

// location describes p with the addresses the client knows for it.
func (c *Client) location(p peer.ID) sharding.Location {
	loc := sharding.Location{Peer: p.String()}
	for _, a := range c.cfg.Host.Peerstore().Addrs(p) {
		loc.Addrs = append(loc.Addrs, a.String())
	}
	return loc
}

// commit ends the upload on every node that holds a shard: each checks the pieces it staged
// against the manifest (which carries the final placement) and keeps them under the file's root.
// Each commit is retried once.
func (u *upload) commit(ctx context.Context, m *sharding.Manifest) error {
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for shard, locs := range m.Placement {
		for _, l := range locs {
			p, err := peer.Decode(l.Peer)
			if err != nil {
				return err
			}
			g.Go(func() error {
				err := retry.Do(gctx, retry.Policy{Attempts: u.c.cfg.Retries + 1}, func() error { return u.c.wire.Commit(gctx, p, u.id, shard, b) })
				switch {
				case err == nil:
					return nil
				case errors.Is(err, wire.ErrHashMismatch): // a piece sent again to a spare node was read anew
					return fmt.Errorf("the file changed during the upload (a piece no longer matches its manifest): %w", err)
				}
				return fmt.Errorf("committing shard %d on node %s: %w", shard, p, err)
			})
		}
	}
	return g.Wait()
}

// open prepares node p to take shard: its upload ticket, with a Signer, for the staged upload.
func (u *upload) open(ctx context.Context, p peer.ID, shard int) error {
	s := u.c.cfg.Signer
	if s == nil {
		return nil
	}
	id := u.id.CID()
	t := wire.Ticket{Account: s.Account(), Root: id, Manifest: id, Shard: shard, Node: p, Uploader: u.c.cfg.Host.ID(),
		Size: wire.StagedShardBytes(u.shape), Expiry: u.deadline.Unix()}
	sig, err := s.SignTicket(t.SigningBytes())
	if err != nil {
		return fmt.Errorf("signing the upload ticket of shard %d for node %s: %w", shard, p, err)
	}
	t.Sig = sig
	return u.c.wire.SendTicket(ctx, p, t)
}

// shardTargets is where the replicas of one shard go; a replica's generation counts its moves.
type shardTargets struct {
	mu      sync.Mutex
	targets []peer.AddrInfo
	gen     []int
	taken   int // segments taken from the queue so far (the highest index + 1)
}

func (s *shardTargets) get(r int) (peer.AddrInfo, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.targets[r], s.gen[r]
}

// runShard uploads the pieces of shard i to its nodes, Config.UploadPipeline pieces at a time on
// each: a node then commits several pieces with one disk sync, and no piece waits for the
// acknowledgement of the one before. A replica whose node fails moves to a spare node.
func (u *upload) runShard(ctx context.Context, shard int, targets []peer.AddrInfo, jobs <-chan pieceJob) error {
	for r := range targets {
		for {
			err := u.open(ctx, targets[r].ID, shard)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			next, err := u.moveShard(ctx, shard, 0, targets[r].ID, err)
			if err != nil {
				return err
			}
			targets[r] = next
		}
	}
	st := &shardTargets{targets: targets, gen: make([]int, len(targets))}
	g, gctx := errgroup.WithContext(ctx)
	for range u.c.cfg.UploadPipeline {
		g.Go(func() error {
			for job := range jobs {
				st.mu.Lock()
				st.taken = max(st.taken, job.segment+1)
				st.mu.Unlock()
				for r := range targets {
					if err := u.storeReplica(gctx, st, shard, r, job); err != nil {
						return err
					}
				}
				job.seg.release()
				done := u.done.Add(job.share)
				if u.progress != nil {
					u.progress(done)
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// storeReplica stores job's piece on replica r of shard, moving the replica to a spare node when
// its node fails. A piece acknowledged by a node the replica moved away from meanwhile is sent
// again to the new one.
func (u *upload) storeReplica(ctx context.Context, st *shardTargets, shard, r int, job pieceJob) error {
	for {
		t, gen := st.get(r)
		err := u.storeWithRetry(ctx, t.ID, shard, job.segment, job.sum, job.data)
		if err == nil {
			if _, now := st.get(r); now == gen {
				return nil
			}
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Any refusal moves the replica, a hash mismatch too: the client hashed the bytes it sends,
		// so a node that finds another hash is faulty (or lies) and another node will not.
		st.mu.Lock()
		if st.gen[r] != gen { // another piece moved the replica already
			st.mu.Unlock()
			continue
		}
		// The spare gets every segment taken so far: those stored on the failed node, and those in
		// flight, which their workers then send again.
		next, err := u.moveShard(ctx, shard, st.taken, t.ID, err)
		if err == nil {
			st.targets[r] = next
			st.gen[r]++
		}
		st.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

func (u *upload) storeWithRetry(ctx context.Context, p peer.ID, shard, segment int, sum [32]byte, data []byte) error {
	ref := wire.PieceRef{Root: u.id.CID(), Shard: shard, Segment: segment}
	err := retry.Do(ctx, retry.Policy{Attempts: u.c.cfg.Retries + 1, First: 200 * time.Millisecond,
		Retryable: func(err error) bool {
			return !errors.Is(err, wire.ErrHashMismatch) && !errors.Is(err, wire.ErrForbidden) && !errors.Is(err, wire.ErrExists)
		}}, func() error { return u.c.wire.StorePiece(ctx, p, ref, sum, data) })
	if cerr := ctx.Err(); cerr != nil && err != nil {
		return cerr
	}
	return err
}

// moveShard picks a spare node for shard, which failed on node from with cause, opens the upload
// there and backfills the segments before segment onto it. It tries spares until one takes them.
func (u *upload) moveShard(ctx context.Context, shard, segment int, from peer.ID, cause error) (peer.AddrInfo, error) {
	for {
		next, ok := u.takeSpare(ctx)
		if !ok {
			return peer.AddrInfo{}, &ShardError{Shard: shard, Peer: from.String(), Err: cause}
		}
		u.c.log.Warn("node failed, moving shard to a spare node", "shard", shard, "segment", segment, "from", from, "to", next.ID, "err", cause)
		err := u.open(ctx, next.ID, shard)
		if err == nil {
			err = u.backfill(ctx, next.ID, shard, segment)
		}
		if err == nil {
			if u.placed != nil {
				u.placed(shard, next.ID)
			}
			return next, nil
		}
		if ctx.Err() != nil {
			return peer.AddrInfo{}, ctx.Err()
		}
		u.c.log.Warn("spare node failed during backfill", "shard", shard, "node", next.ID, "err", err)
		from, cause = next.ID, err
	}
}

// takeSpare returns a node that holds no shard of the upload yet. The spares are the nodes that
// connected when the upload started, beyond those it needed; once they are used up, the client
// looks again for nodes it can connect to: a node whose dial was slow at the start (storageNodes
// waits only connectGrace for more nodes than it needs) or that joined since. Shards moving at
// the same time wait for that lookup, at most DialTimeout.
func (u *upload) takeSpare(ctx context.Context) (peer.AddrInfo, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.spares) == 0 {
		u.spares = u.c.storageNodes(ctx, 1, u.taken)
	}
	if len(u.spares) == 0 {
		return peer.AddrInfo{}, false
	}
	s := u.spares[0]
	u.spares = u.spares[1:]
	u.taken[s.ID] = true
	u.moved++
	return s, true
}

// backfill re-encodes segments [0, upto) from the source and sends their piece of shard to p, so that
// p holds the whole shard.
func (u *upload) backfill(ctx context.Context, p peer.ID, shard, upto int) error {
	for j := 0; j < upto; j++ {
		seg, err := sharding.EncodeSegment(u.src, u.shape, j)
		if err != nil {
			return fmt.Errorf("re-encoding segment %d: %w", j, err)
		}
		if err := u.storeWithRetry(ctx, p, shard, j, seg.Hashes[shard], seg.Pieces[shard]); err != nil {
			return err
		}
	}
	return nil
}

// MarshalJSON writes the CIDs as plain strings, the form scripts expect.
func (r *PutResult) MarshalJSON() ([]byte, error) {
	type plain PutResult
	return json.Marshal(struct {
		Root     string `json:"root"`
		Manifest string `json:"manifest"`
		*plain
	}{r.Root.String(), r.Manifest.String(), (*plain)(r)})
}
