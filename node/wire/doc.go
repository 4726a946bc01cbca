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
// Every length and index is checked against its bound before it is used, so a header is at most
// MaxHeaderSize bytes and no read allocates more than the protocol allows (MaxPieceSize for a
// piece, MaxManifestSize for a manifest). A status other than OK comes back from Client as a
// *RemoteError that matches ErrNotFound, ErrCorrupt, ErrHashMismatch, ErrTooLarge, ErrBadRequest,
// ErrBusy or ErrInternal under errors.Is.
package wire
