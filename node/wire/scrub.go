package wire

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// ProtoScrub asks a holder when it last scrubbed one shard (Root, Shard) and what it found.
const ProtoScrub = "/dstore/scrub/1.0.0"

const (
	// ScrubInfoSize is the exact size of the payload of a scrub answer.
	ScrubInfoSize = 8 + 4 + 4
	// maxScrubTime bounds the time of a scrub answer: the year 3000.
	maxScrubTime = 32503680000
)

// ScrubInfo is a holder's answer about its background checks of one shard.
type ScrubInfo struct {
	Last     time.Time // end of the last complete pass over the shard's pieces; zero: never
	Damaged  uint32    // pieces found damaged or missing and not repaired yet (not served meanwhile)
	Repaired uint32    // pieces of the shard repaired in place, ever
}

// EncodeScrubInfo returns the payload of a scrub answer:
// last (uint64 Unix seconds, 0: never) | damaged uint32 | repaired uint32, big-endian.
func EncodeScrubInfo(s ScrubInfo) []byte {
	var last uint64
	if !s.Last.IsZero() && s.Last.Unix() > 0 {
		last = uint64(min(s.Last.Unix(), maxScrubTime))
	}
	b := make([]byte, 0, ScrubInfoSize)
	b = binary.BigEndian.AppendUint64(b, last)
	b = binary.BigEndian.AppendUint32(b, s.Damaged)
	return binary.BigEndian.AppendUint32(b, s.Repaired)
}

// DecodeScrubInfo decodes a scrub answer strictly: exact length and a time before the year 3000.
// Errors match ErrProtocol.
func DecodeScrubInfo(b []byte) (ScrubInfo, error) {
	var s ScrubInfo
	if len(b) != ScrubInfoSize {
		return s, fmt.Errorf("%w: scrub info of %d bytes, want %d", ErrProtocol, len(b), ScrubInfoSize)
	}
	last := binary.BigEndian.Uint64(b[:8])
	if last > maxScrubTime {
		return s, fmt.Errorf("%w: scrub time %d past the year 3000", ErrProtocol, last)
	}
	if last > 0 {
		s.Last = time.Unix(int64(last), 0).UTC()
	}
	s.Damaged = binary.BigEndian.Uint32(b[8:12])
	s.Repaired = binary.BigEndian.Uint32(b[12:16])
	return s, nil
}

// Scrub asks p about its background checks of shard of root. ErrNotFound when p holds no piece
// of the shard.
func (c *Client) Scrub(ctx context.Context, p peer.ID, root cid.Cid, shard int) (ScrubInfo, error) {
	var info ScrubInfo
	err := c.exchange(ctx, p, ProtoScrub, Request{Root: root, Shard: shard}, nil, ScrubInfoSize, func(resp Response, r io.Reader) error {
		b, err := readPayload(resp, r)
		if err != nil {
			return err
		}
		if info, err = DecodeScrubInfo(b); err != nil {
			return fmt.Errorf("node %s: %w", p, err)
		}
		return nil
	})
	return info, err
}
