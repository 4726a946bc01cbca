package wire

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/sharding"
)

// ProtoCommit ends a staged upload of one shard: the request's Root is the upload ID, its Shard
// the shard, and its payload the file's marshaled manifest. The node checks every piece it staged
// under the upload ID against the manifest's hashes of the shard, then keeps them under the
// file's root, with the manifest, as if they had been sent after it.
const ProtoCommit = "/dstore/upload/commit/1.0.0"

// uploadMagic starts the digest of every upload ID.
const uploadMagic = "dsu1"

// StagedPieceMin is the least a staged piece counts against its ticket's bytes, whatever its
// size: the ticket's bytes bound the number of pieces a node keeps for it too.
const StagedPieceMin = 4096

// StagedShardBytes is what the pieces of one shard of the file m describes count against a
// staging ticket: at least its size (m.ShardSize), more when pieces are below StagedPieceMin.
func StagedShardBytes(m *sharding.Manifest) int64 {
	segments := m.NumSegments()
	if segments == 0 {
		return 0
	}
	full := max(m.PieceSize, StagedPieceMin)
	return int64(segments-1)*full + max(m.SegmentPieceSize(segments-1), StagedPieceMin)
}

// UploadID names a staged upload: pieces a node takes before their file's manifest (and so its
// root) exists, because the client sends them while it imports the file. Its CID form stands in
// for the root wherever a piece or a ticket names one: a staged piece is stored under the upload
// ID, and a staging ticket names the upload ID as both its Root and its Manifest. The node hashes
// a staged piece with sharding.PieceChunks at ChunkSize, the chunk size the file is cut with, and
// ProtoCommit later checks those hashes against the manifest.
type UploadID struct {
	Nonce     [16]byte
	ChunkSize int64
}

// NewUploadID returns an upload ID with a random nonce, for a file cut into chunks of chunkSize.
func NewUploadID(chunkSize int64) (UploadID, error) {
	u := UploadID{ChunkSize: chunkSize}
	if chunkSize < 1 || chunkSize > sharding.MaxChunkSize {
		return u, fmt.Errorf("%w: chunk size %d, want 1 to %d bytes", sharding.ErrInvalidParams, chunkSize, sharding.MaxChunkSize)
	}
	_, err := rand.Read(u.Nonce[:])
	return u, err
}

// CID returns the upload ID's CID form: CIDv1, raw codec, an identity multihash of "dsu1", the
// nonce and the chunk size (uvarint). No file's root has this form: roots are SHA-256 hashes.
func (u UploadID) CID() cid.Cid {
	d := append([]byte(uploadMagic), u.Nonce[:]...)
	d = binary.AppendUvarint(d, uint64(u.ChunkSize))
	h, err := mh.Sum(d, mh.IDENTITY, -1)
	if err != nil { // identity hashes any input of this size
		panic(err)
	}
	return cid.NewCidV1(cid.Raw, h)
}

func (u UploadID) String() string { return u.CID().String() }

// ParseUploadID returns the upload ID whose CID form is c, and false if c is not one: every other
// CID names a file or a manifest. A chunk size out of sharding's bounds is not an upload ID.
func ParseUploadID(c cid.Cid) (UploadID, bool) {
	var u UploadID
	if !c.Defined() || c.Prefix().Codec != cid.Raw || c.Prefix().MhType != mh.IDENTITY {
		return u, false
	}
	dm, err := mh.Decode(c.Hash())
	if err != nil || !bytes.HasPrefix(dm.Digest, []byte(uploadMagic)) {
		return u, false
	}
	r := bytes.NewReader(dm.Digest[len(uploadMagic):])
	if _, err := io.ReadFull(r, u.Nonce[:]); err != nil {
		return u, false
	}
	size, err := binary.ReadUvarint(r)
	if err != nil || r.Len() != 0 || size < 1 || size > uint64(sharding.MaxChunkSize) {
		return u, false
	}
	u.ChunkSize = int64(size)
	return u, u.CID().Equals(c) // one encoding per upload ID
}

// IsUploadID says whether c is the CID form of an upload ID.
func IsUploadID(c cid.Cid) bool {
	_, ok := ParseUploadID(c)
	return ok
}

// Commit ends the staged upload u of shard on p with the file's marshaled manifest (see
// ProtoCommit); the node then holds the shard under the manifest's root, and the manifest.
func (c *Client) Commit(ctx context.Context, p peer.ID, u UploadID, shard int, manifest []byte) error {
	if len(manifest) > MaxManifestSize {
		return fmt.Errorf("%w: manifest of %d bytes", ErrTooLarge, len(manifest))
	}
	return c.exchange(ctx, p, ProtoCommit, Request{Root: u.CID(), Shard: shard}, manifest, 0, func(Response, io.Reader) error { return nil })
}
