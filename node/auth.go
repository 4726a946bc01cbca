package node

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/dstore-net/dstore/node/wire"
	"github.com/dstore-net/dstore/sharding"
)

// AllowFile is the file in a node's repo that lists, one per line, the client peer IDs the node
// stores for without a ticket (lines starting with # are comments). It adds to Config.Allow.
const AllowFile = "allow"

// TicketVerifier recovers the chain account that signed an upload ticket. The chain package
// implements it (EIP-191 signatures of secp256k1 keys); the node does not know the scheme.
type TicketVerifier interface {
	// Signer returns the account whose key made sig, a signature of msg.
	Signer(msg, sig []byte) ([20]byte, error)
}

// RepairSlots says whether a shard of a file is open for repair on chain: its slot was freed after
// missed proofs and waits for a provider. An upload ticket for such a shard is accepted from any
// account without counting against its quota: the freed slot, which pays its refiller, authorizes
// it. The deals package implements it from the marketplace.
type RepairSlots interface {
	OpenForRepair(ctx context.Context, root cid.Cid, shard int) (bool, error)
}

// UploadInfo describes what the node accepted to store of one shard of one file, and for whom.
type UploadInfo struct {
	// Payer is the chain account that signed the upload ticket; zero for a client on the allow-list.
	Payer [20]byte
	// Manifest is the CID of the manifest the shard's pieces were checked against.
	Manifest cid.Cid
	// Bytes is the size the ticket allowed (the shard's size for a client on the allow-list).
	Bytes int64
	// Expiry is when the ticket stopped allowing writes; zero for a client on the allow-list.
	Expiry time.Time
	// Confirmed says that a storage request for the shard was seen on chain (Confirm), or that
	// the client is on the allow-list: the node keeps the shard past the grace period.
	Confirmed bool
}

// grant is one account's (or the allow-list's) permission to store one shard, as kept in the store.
type grant struct {
	Account   [20]byte  `json:"account"`
	Manifest  string    `json:"manifest"`
	Uploader  peer.ID   `json:"uploader"`
	Bytes     int64     `json:"bytes"`
	Expiry    int64     `json:"expiry,omitempty"` // Unix seconds; 0 for the allow-list
	Accepted  time.Time `json:"accepted"`
	Confirmed bool      `json:"confirmed,omitempty"`
	Allowed   bool      `json:"allowed,omitempty"` // given to a client on the allow-list
	Repair    bool      `json:"repair,omitempty"`  // for a slot open for repair on chain: no quota, dropped after the grace period unless confirmed
	Staged    bool      `json:"staged,omitempty"`  // for an upload ID (staged pieces): dropped after the grace period unless committed
	mcid      cid.Cid
}

func (g *grant) info() UploadInfo {
	info := UploadInfo{Payer: g.Account, Manifest: g.mcid, Bytes: g.Bytes, Confirmed: g.Confirmed || g.Allowed}
	if g.Expiry != 0 {
		info.Expiry = time.Unix(g.Expiry, 0)
	}
	return info
}

// unpaid says whether g counts against its account's quota.
func (g *grant) unpaid() bool { return !g.Confirmed && !g.Allowed && !g.Repair }

// droppable says whether g goes when its grace period ends unconfirmed (or, staged, uncommitted).
func (g *grant) droppable() bool { return !g.Confirmed && (!g.Allowed || g.Staged) }

// writable says whether g still lets uploader write pieces of manifest mcid.
func (g *grant) writable(uploader peer.ID, mcid cid.Cid, now time.Time) bool {
	return g.Uploader == uploader && g.mcid.Equals(mcid) && (g.Allowed || now.Unix() < g.Expiry)
}

// grants is the node's table of upload grants, mirrored in the store.
type grants struct {
	mu     sync.Mutex
	bySlot map[slotKey]map[[20]byte]*grant
	unpaid map[[20]byte]int64 // bytes of unconfirmed grants per account
}

func newGrants() *grants {
	return &grants{bySlot: make(map[slotKey]map[[20]byte]*grant), unpaid: make(map[[20]byte]int64)}
}

// set records g, keeping the quota count.
func (gs *grants) set(k slotKey, g *grant) {
	m := gs.bySlot[k]
	if m == nil {
		m = make(map[[20]byte]*grant)
		gs.bySlot[k] = m
	}
	if old := m[g.Account]; old != nil && old.unpaid() {
		gs.unpaid[old.Account] -= old.Bytes
	}
	m[g.Account] = g
	if g.unpaid() {
		gs.unpaid[g.Account] += g.Bytes
	}
}

func (gs *grants) unpaidTotal() int64 {
	var t int64
	for _, b := range gs.unpaid {
		t += b
	}
	return t
}

func (gs *grants) remove(k slotKey, account [20]byte) {
	m := gs.bySlot[k]
	if g := m[account]; g != nil && g.unpaid() {
		gs.unpaid[account] -= g.Bytes
	}
	delete(m, account)
	if len(m) == 0 {
		delete(gs.bySlot, k)
	}
}

// loadAuth reads the allow-list file and the stored grants.
func (n *Node) loadAuth(ctx context.Context) error {
	n.allow = make(map[peer.ID]bool)
	for _, p := range n.cfg.Allow {
		n.allow[p] = true
	}
	path := filepath.Join(n.cfg.Repo, AllowFile)
	f, err := os.Open(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			s := strings.TrimSpace(sc.Text())
			if s == "" || strings.HasPrefix(s, "#") {
				continue
			}
			p, err := peer.Decode(s)
			if err != nil {
				return fmt.Errorf("%s line %d: %q is not a peer ID: %w", path, line, s, err)
			}
			n.allow[p] = true
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
	}
	n.grants = newGrants()
	n.staging = newStaging()
	return n.store.Grants(ctx, func(root cid.Cid, shard int, account [20]byte, v []byte) error {
		g := new(grant)
		if err := json.Unmarshal(v, g); err != nil {
			n.log.Warn("dropping an unreadable upload grant", "root", root, "shard", shard, "err", err)
			return nil
		}
		if g.mcid, err = cid.Decode(g.Manifest); err != nil {
			n.log.Warn("dropping an upload grant without a manifest CID", "root", root, "shard", shard, "err", err)
			return nil
		}
		n.grants.set(slotKey{root, shard}, g)
		return nil
	})
}

func (n *Node) saveGrant(ctx context.Context, k slotKey, g *grant) error {
	g.Manifest = g.mcid.String()
	b, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return n.store.PutGrant(ctx, k.root, k.shard, g.Account, b)
}

// Allowed says whether p is on the node's allow-list.
func (n *Node) Allowed(p peer.ID) bool {
	n.allowMu.RLock()
	defer n.allowMu.RUnlock()
	return n.allow[p]
}

// Allow adds p to the node's allow-list until the node stops (Config.Allow and REPO/allow keep
// it across restarts).
func (n *Node) Allow(p peer.ID) {
	n.allowMu.Lock()
	defer n.allowMu.Unlock()
	n.allow[p] = true
}

// acceptTicket checks an upload ticket sent by from and records its grant.
func (n *Node) acceptTicket(ctx context.Context, from peer.ID, t wire.Ticket) error {
	now := time.Now()
	switch {
	case n.cfg.Tickets == nil:
		return fmt.Errorf("%w: this node takes no upload tickets (no chain); ask its operator to allow your peer ID", wire.ErrForbidden)
	case t.Node != n.ID():
		return fmt.Errorf("%w: the ticket is for node %s, this is %s", wire.ErrForbidden, t.Node, n.ID())
	case t.Uploader != from:
		return fmt.Errorf("%w: the ticket is for uploader %s, the stream comes from %s", wire.ErrForbidden, t.Uploader, from)
	case now.Unix() >= t.Expiry:
		return fmt.Errorf("%w: the ticket expired at %s", wire.ErrForbidden, t.ExpiresAt().UTC().Format(time.RFC3339))
	case t.Size <= 0:
		return fmt.Errorf("%w: the ticket allows %d bytes", wire.ErrForbidden, t.Size)
	}
	staged := wire.IsUploadID(t.Root)
	if staged != wire.IsUploadID(t.Manifest) || staged && !t.Root.Equals(t.Manifest) {
		return fmt.Errorf("%w: a staging ticket names its upload ID as both root and manifest", wire.ErrForbidden)
	}
	account, err := n.cfg.Tickets.Signer(t.SigningBytes(), t.Sig)
	if err != nil {
		return fmt.Errorf("%w: the ticket's signature does not verify: %v", wire.ErrForbidden, err)
	}
	if account != t.Account {
		return fmt.Errorf("%w: the ticket names account %x, its signature is by %x", wire.ErrForbidden, t.Account, account)
	}
	if held, err := n.store.ManifestCIDs(ctx, t.Root); err == nil && len(held) > 0 && !held[0].Equals(t.Manifest) {
		return fmt.Errorf("%w: this node holds manifest %s of %s, the ticket names %s", wire.ErrExists, held[0], t.Root, t.Manifest)
	}
	k := slotKey{t.Root, t.Shard}
	repair := false
	if n.cfg.Repairs != nil && !staged {
		open, err := n.cfg.Repairs.OpenForRepair(ctx, t.Root, t.Shard)
		if err != nil {
			n.log.Warn("checking whether a shard is open for repair", "root", t.Root, "shard", t.Shard, "err", err)
		}
		repair = open
	}
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	old := n.grants.bySlot[k][account]
	g := &grant{Account: account, mcid: t.Manifest, Uploader: from, Bytes: t.Size, Expiry: t.Expiry, Accepted: now, Repair: repair, Staged: staged}
	if old != nil {
		g.Accepted, g.Confirmed = old.Accepted, old.Confirmed
		if !old.mcid.Equals(t.Manifest) {
			return fmt.Errorf("%w: account %x already uploads shard %d of %s under manifest %s", wire.ErrExists, account, t.Shard, t.Root, old.mcid)
		}
	}
	unpaid := n.grants.unpaid[account]
	if old != nil && old.unpaid() {
		unpaid -= old.Bytes
	}
	if g.unpaid() && unpaid+g.Bytes > n.cfg.UploadQuota {
		return fmt.Errorf("%w: account %x has %d bytes not yet paid for here, the ticket adds %d, the quota is %d",
			wire.ErrQuota, account, unpaid, g.Bytes, n.cfg.UploadQuota)
	}
	// Accounts cost nothing to make: the unpaid bytes of all of them together are bounded too.
	total := n.grants.unpaidTotal()
	if old != nil && old.unpaid() {
		total -= old.Bytes
	}
	if g.unpaid() && total+g.Bytes > n.cfg.UploadQuotaTotal {
		return fmt.Errorf("%w: the node holds %d bytes not yet paid for by any account, the ticket adds %d, the total quota is %d",
			wire.ErrQuota, total, g.Bytes, n.cfg.UploadQuotaTotal)
	}
	if err := n.saveGrant(ctx, k, g); err != nil {
		return err
	}
	n.grants.set(k, g)
	n.log.Info("accepted an upload ticket", "root", t.Root, "shard", t.Shard, "account", fmt.Sprintf("%x", account),
		"bytes", t.Size, "expiry", t.ExpiresAt().UTC(), "repair", repair)
	return nil
}

// mayWrite says why from may not write manifest mcid of root (shard < 0) or a piece of one shard
// of it; nil if it may. A ticket must cover at least size bytes of a shard.
func (n *Node) mayWrite(from peer.ID, root, mcid cid.Cid, shard int, size int64) error {
	if n.Allowed(from) {
		return nil
	}
	now := time.Now()
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	var why string
	shards := []int{shard}
	if shard < 0 {
		shards = make([]int, wire.MaxShards)
		for i := range shards {
			shards[i] = i
		}
	}
	for _, s := range shards {
		for _, g := range n.grants.bySlot[slotKey{root, s}] {
			switch {
			case !g.writable(from, mcid, now):
				why = "its ticket expired, or names another manifest or uploader"
			case g.Bytes < size:
				why = fmt.Sprintf("its ticket allows %d bytes, the shard has %d", g.Bytes, size)
			default:
				return nil
			}
		}
	}
	what := fmt.Sprintf("manifest %s of %s", mcid, root)
	if shard >= 0 {
		what = fmt.Sprintf("shard %d of %s", shard, root)
	}
	if why == "" {
		why = "it holds no upload ticket for it and is not on the node's allow-list"
	}
	return fmt.Errorf("%w: peer %s may not store %s: %s", wire.ErrForbidden, from, what, why)
}

// noteAllowed records, the first time a client on the allow-list stores a piece of a shard, that
// the node holds the shard for the allow-list.
func (n *Node) noteAllowed(ctx context.Context, from peer.ID, m *sharding.Manifest, mcid cid.Cid, shard int) error {
	if !n.Allowed(from) {
		return nil
	}
	k := slotKey{m.Root, shard}
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	if g := n.grants.bySlot[k][[20]byte{}]; g != nil && g.Allowed {
		return nil
	}
	g := &grant{mcid: mcid, Uploader: from, Bytes: m.ShardSize(), Accepted: time.Now(), Allowed: true}
	if err := n.saveGrant(ctx, k, g); err != nil {
		return err
	}
	n.grants.set(k, g)
	return nil
}

// Confirm records that a storage request naming this node as the host of shard of root appeared
// on chain: the node keeps the shard past the grace period, and its bytes no longer count against
// the uploader's quota. The error matches ErrNotHeld if the node accepted no upload of the shard.
func (n *Node) Confirm(ctx context.Context, root cid.Cid, shard int) error {
	k := slotKey{root, shard}
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	m := n.grants.bySlot[k]
	if len(m) == 0 {
		return fmt.Errorf("no upload of shard %d of %s to confirm: %w", shard, root, ErrNotHeld)
	}
	for _, g := range m {
		if g.Confirmed || g.Allowed {
			continue
		}
		c := *g
		c.Confirmed = true
		if err := n.saveGrant(ctx, k, &c); err != nil {
			return err
		}
		n.grants.set(k, &c)
		n.log.Info("upload confirmed on chain", "root", root, "shard", shard, "account", fmt.Sprintf("%x", g.Account))
	}
	return nil
}

// Accepted reports whether the node accepted shard of root under a valid upload ticket or from a
// client on its allow-list, and on what terms. A confirmed grant is preferred to others.
func (n *Node) Accepted(ctx context.Context, root cid.Cid, shard int) (UploadInfo, bool) {
	n.grants.mu.Lock()
	defer n.grants.mu.Unlock()
	var best *grant
	for _, g := range n.grants.bySlot[slotKey{root, shard}] {
		if best == nil || (!best.info().Confirmed && g.info().Confirmed) {
			best = g
		}
	}
	if best == nil {
		return UploadInfo{}, false
	}
	return best.info(), true
}

// dropUnconfirmed runs until the node closes, dropping every grace/10 the uploads whose grace
// period ended before a storage request confirmed them.
func (n *Node) dropUnconfirmed() {
	defer n.wg.Done()
	every := min(max(n.cfg.UploadGrace/10, 50*time.Millisecond), time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
			if err := n.dropExpired(n.ctx, time.Now()); err != nil && n.ctx.Err() == nil {
				n.log.Warn("dropping unconfirmed uploads", "err", err)
			}
		}
	}
}

// dropExpired drops the grants not confirmed within the grace period, then the shards no grant
// keeps, then the manifests of files none of whose shards are kept.
func (n *Node) dropExpired(ctx context.Context, now time.Time) error {
	type expired struct {
		k       slotKey
		account [20]byte
		bytes   int64
	}
	var drop []expired
	n.grants.mu.Lock()
	for k, m := range n.grants.bySlot {
		for acc, g := range m {
			if g.droppable() && now.Sub(g.Accepted) > n.cfg.UploadGrace {
				drop = append(drop, expired{k, acc, g.Bytes})
			}
		}
	}
	n.grants.mu.Unlock()
	for _, e := range drop {
		if err := n.dropGrant(ctx, e.k, e.account, e.bytes); err != nil {
			return err
		}
	}
	return nil
}

// dropGrant drops one grant whose grace period ended, then its shard if no grant keeps it, then the
// manifests of its file if none of its shards is kept. A staged shard goes while no staged piece
// is written.
func (n *Node) dropGrant(ctx context.Context, k slotKey, account [20]byte, bytes int64) error {
	if wire.IsUploadID(k.root) {
		n.staging.commit.Lock()
		defer n.staging.commit.Unlock()
	}
	n.grants.mu.Lock()
	g := n.grants.bySlot[k][account]
	if g == nil || !g.droppable() { // confirmed meanwhile
		n.grants.mu.Unlock()
		return nil
	}
	err := n.store.DeleteGrant(ctx, k.root, k.shard, account)
	if err == nil {
		n.grants.remove(k, account)
	}
	slotLeft := len(n.grants.bySlot[k]) > 0
	rootLeft := false
	for other := range n.grants.bySlot {
		if other.root.Equals(k.root) {
			rootLeft = true
			break
		}
	}
	n.grants.mu.Unlock()
	if err != nil {
		return err
	}
	n.log.Info("dropping an upload not confirmed on chain within the grace period", "root", k.root, "shard", k.shard,
		"account", fmt.Sprintf("%x", account), "bytes", bytes, "grace", n.cfg.UploadGrace)
	if !slotLeft {
		n.staging.forget(k)
		if err := n.store.DeleteShard(ctx, k.root, k.shard); err != nil {
			return err
		}
		n.trees.forget(k)
		n.scrub.forget(k.root, k.shard)
	}
	if !rootLeft {
		if err := n.store.DeleteManifests(ctx, k.root); err != nil {
			return err
		}
		n.manifests.forget(k.root)
	}
	return nil
}
