// Package wire defines dstore's libp2p protocols between clients and storage nodes: the protocol
// IDs, the framing of requests and responses, the errors a node answers with, and the client side
// of every protocol (Client).
//
// One stream carries one request and its response. A request is a header followed by Size payload
// bytes; the client then half-closes. A response is a header followed by Size payload bytes.
//
//	request:  version(1) | rootLen uvarint (<= 128) | root CID | shard uvarint (< 256)
//	          | segment uvarint (< 2^32) | sha256(32) | off uvarint (<= MaxPieceSize)
//	          | n varint (-1 = to the end, <= MaxPieceSize) | size uvarint
//	response: version(1) | status(1) | msgLen uvarint (<= 256) | msg | size uvarint
//	          | segments uvarint | bytes uvarint
//
// The slot protocols reuse that framing. ProtoSlotRoot sends root and shard with no payload and
// gets SlotInfo back; ProtoSlotOpen sends root, shard and the cells to open, and gets one Merkle
// path per cell, in the order asked:
//
//	slot info: ready(1: 0 or 1) | root(32, a canonical BN254 element, zero unless ready)
//	           | cells uint64 (<= 2^40) | size uint64 (<= 2^60) | account(20)   = SlotInfoSize bytes
//	cells:     count uvarint (<= MaxOpenings = 512) | count cells, uvarint each (< 2^40)
//	           (payload <= MaxCellsSize)
//	paths:     depth(1, 1..40) | count*depth field elements, 32 big-endian bytes each, leaf first
//	           (payload exactly 1+count*depth*32 <= MaxPathsSize = 655,361 bytes)
//
// Only paths travel, never cells: the client checks each path against its own copy of the cell
// with prover.VerifyOpening. Answers are decoded strictly: exact lengths, canonical elements.
//
// Every length and index is checked against its bound before it is used, so a header is at most
// MaxHeaderSize bytes and no read allocates more than the protocol allows (MaxPieceSize for a
// piece, MaxManifestSize for a manifest). A status other than OK comes back from Client as a
// *RemoteError that matches ErrNotFound, ErrCorrupt, ErrHashMismatch, ErrTooLarge, ErrBadRequest,
// ErrBusy or ErrInternal under errors.Is.
package wire
