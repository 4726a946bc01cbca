package sharding_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/dstore-net/dstore/sharding"
)

func ExampleImport() {
	file := strings.NewReader(strings.Repeat("dstore ", 3000)) // 21000 bytes
	p := sharding.Params{K: 4, M: 2, ChunkSize: 4096, PieceSize: 2048}
	m, err := sharding.Import(context.Background(), file, p, func(s sharding.Segment) error {
		// Here an uploader sends s.Pieces[i] (checked by s.Hashes[i]) to the node holding shard i.
		fmt.Printf("segment %d: bytes %d-%d, %d pieces of %d bytes\n", s.Index, s.Offset, s.Offset+s.Length, len(s.Pieces), s.PieceSize)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("root:", m.Root)
	fmt.Println("shard size:", m.ShardSize())
	// Output:
	// segment 0: bytes 0-8192, 6 pieces of 2048 bytes
	// segment 1: bytes 8192-16384, 6 pieces of 2048 bytes
	// segment 2: bytes 16384-21000, 6 pieces of 1216 bytes
	// root: bafybeicdhsat6l7dtz2faayiszn52jdrpwgbu3bycmwqrkc26ck6wv24mi
	// shard size: 5312
}

func ExampleManifest_Span() {
	m, err := sharding.Import(context.Background(), strings.NewReader(strings.Repeat("x", 10000)),
		sharding.Params{K: 2, M: 1, ChunkSize: 1024, PieceSize: 4096}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Each segment is dealt to its two data pieces a chunk (1024 bytes) at a time, so bytes
	// 7000-8999 lie in the last two chunks of segment 0, one in each piece, then in the first chunk
	// of the short last segment: each leaf is read from the one piece that holds it.
	for _, r := range m.Span(7000, 2000) {
		fmt.Printf("segment %d piece %d: %d bytes at %d\n", r.Segment, r.Piece, r.Length, r.Offset)
	}
	// Output:
	// segment 0 piece 0: 168 bytes at 3928
	// segment 0 piece 1: 1024 bytes at 3072
	// segment 1 piece 0: 808 bytes at 0
}
