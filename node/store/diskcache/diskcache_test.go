package diskcache_test

import (
	"bytes"
	"fmt"
	"testing"

	mh "github.com/multiformats/go-multihash"

	"github.com/dstore-net/dstore/node/store/diskcache"
)

func TestBoundedAndDurable(t *testing.T) {
	dir := t.TempDir()
	c, err := diskcache.Open(dir, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	block := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000) }
	for i := range 25 {
		c.Add(fmt.Sprint(i), block(i))
		if c.Size() > 10_000 {
			t.Fatalf("after %d blocks the cache holds %d bytes, more than its 10000", i+1, c.Size())
		}
	}
	if _, ok := c.Get("0"); ok {
		t.Fatal("the oldest block was not evicted")
	}
	if b, ok := c.Get("24"); !ok || !bytes.Equal(b, block(24)) {
		t.Fatal("the newest block is missing")
	}
	size := c.Size()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = diskcache.Open(dir, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Size() != size {
		t.Fatalf("reopened with %d bytes, closed with %d", c.Size(), size)
	}
	if b, ok := c.Get("20"); !ok || !bytes.Equal(b, block(20)) {
		t.Fatal("a block did not survive the restart")
	}
	c.Add("big", make([]byte, 20_000)) // larger than the whole cache: not kept
	if _, ok := c.Get("big"); ok {
		t.Fatal("a block larger than the cache was kept")
	}
}

// A block whose bytes no longer match its multihash key is a miss, never wrong bytes.
func TestDamagedBlockMisses(t *testing.T) {
	c, err := diskcache.Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	good := []byte("a block")
	key, _ := mh.Sum(good, mh.SHA2_256, -1)
	c.Add(string(key), []byte("other bytes under that key"))
	if _, ok := c.Get(string(key)); ok {
		t.Fatal("bytes that do not match their multihash were served")
	}
}

// A block read again and again outlives blocks added after it that nobody reads, also across a
// restart: eviction follows use, not insertion.
func TestRecentlyUsedStays(t *testing.T) {
	dir := t.TempDir()
	c, err := diskcache.Open(dir, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	block := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000) }
	c.Add("hot", block(255))
	for i := range 40 {
		c.Add(fmt.Sprint(i), block(i))
		if i == 20 { // restart midway: places in the queue are durable
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if c, err = diskcache.Open(dir, 10_000); err != nil {
				t.Fatal(err)
			}
		}
		if b, ok := c.Get("hot"); !ok || !bytes.Equal(b, block(255)) {
			t.Fatalf("the block read after every add was evicted after %d adds", i+1)
		}
		if c.Size() > 10_000 {
			t.Fatalf("the cache holds %d bytes, more than its 10000", c.Size())
		}
	}
	defer c.Close()
	if _, ok := c.Get("0"); ok {
		t.Fatal("an unread block older than the cache's span was kept")
	}
}
