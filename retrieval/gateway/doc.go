// Package gateway is dstore's HTTP face: boxo's gateway handler (the IPFS trustless gateway with
// raw blocks and CARs, the path gateway with files, directories, ranges, and subdomains on
// localhost) over a read-only Blockstore that reads through the retrieval client.
//
// A block is found through the manifest of the upload that holds it: internal blocks come from
// the manifest, raw leaves from the stream segment(s) at their offset, fetched from the nearest
// nodes with parity for lost ones (retrieval.Client.SegmentUnchecked; Segment, whose pieces are
// checked against their SHA-256, when a leaf fails its CID). The segment a read starts with comes
// by a ranged read instead (retrieval.File.WriteRange), which fetches the first leaf alone, from
// the node of its piece, beside the rest of the segment, and writes each leaf once it is checked:
// the first byte waits for one leaf, and no piece is fetched twice. Every block is checked against
// its CID before it is served or cached. A segment fetched for one leaf puts every leaf it holds
// in the Cache, so a sequential read goes to the network once per segment, and a cached block
// needs no network at all.
//
// A fast path answers a plain GET or HEAD of a file boxo's handler has already served, with every
// leaf cached in memory, by replaying boxo's headers for it and writing the leaves with
// http.ServeContent; every other request goes to boxo (fast.go says which).
//
// Errors map to HTTP statuses once, in boxo's handler: a CID no upload holds is ipld's not-found
// (404, never a 5xx), a malformed one 400, an `only-if-cached` miss 412, more than
// MaxConcurrentRequests at once 429 with Retry-After, a stalled retrieval 504.
package gateway
