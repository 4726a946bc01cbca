// Package diskcache is the gateway's block cache on disk: verified blocks in badger (kept under
// node/store, the one place dstore uses badger), bounded in bytes, the least recently used
// evicted first. The gateway checks every
// block it reads from here against its CID, so a damaged cache cannot serve wrong bytes.
package diskcache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	mh "github.com/multiformats/go-multihash"
)

// Key prefixes: blocks by key, the use queue (sequence -> size and key; the lowest sequence is
// evicted first), and each block's place in it (key -> sequence).
const (
	blockPrefix = 'b'
	queuePrefix = 'q'
	placePrefix = 'p'
)

// Cache is a bounded block cache in a badger database.
type Cache struct {
	db  *badger.DB
	max int64

	mu   sync.Mutex
	size int64
	head uint64 // oldest queue sequence still held
	next uint64 // next queue sequence

	gcRunning atomic.Bool
	freed     atomic.Int64 // bytes evicted since the last value log GC
}

// Open opens (or creates) a cache in dir holding at most maxBytes bytes of blocks.
func Open(dir string, maxBytes int64) (*Cache, error) {
	if maxBytes <= 0 {
		return nil, errors.New("diskcache: the size must be positive")
	}
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithMemTableSize(16 << 20).
		WithBlockCacheSize(8 << 20).WithValueLogFileSize(64 << 20).WithValueThreshold(1 << 10))
	if err != nil {
		return nil, fmt.Errorf("opening the cache in %s: %w", dir, err)
	}
	c := &Cache{db: db, max: maxBytes}
	first := true
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{queuePrefix}, PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			seq := binary.BigEndian.Uint64(it.Item().Key()[1:])
			if first {
				c.head, first = seq, false
			}
			c.next = seq + 1
			if err := it.Item().Value(func(v []byte) error {
				if len(v) >= 4 {
					c.size += int64(binary.BigEndian.Uint32(v))
				}
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the cache in %s: %w", dir, err)
	}
	return c, nil
}

// Get returns the block stored under key, if its bytes still match the key: a key that is a
// multihash is checked against it, so a damaged cache misses rather than serves wrong bytes.
// A hit in the older half of the queue moves the block to its young end (approximate LRU: a
// block read often is written again at most once per half a cache of newer blocks).
func (c *Cache) Get(key string) ([]byte, bool) {
	var out []byte
	seq, placed := uint64(0), false
	err := c.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(append([]byte{blockPrefix}, key...))
		if err != nil {
			return err
		}
		if out, err = it.ValueCopy(nil); err != nil {
			return err
		}
		if p, err := txn.Get(append([]byte{placePrefix}, key...)); err == nil {
			_ = p.Value(func(v []byte) error {
				if len(v) == 8 {
					seq, placed = binary.BigEndian.Uint64(v), true
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, false
	}
	if d, err := mh.Decode([]byte(key)); err == nil {
		if sum, err := mh.Sum(out, d.Code, d.Length); err != nil || string(sum) != key {
			return nil, false
		}
	}
	if placed {
		c.touch(key, seq, int64(len(out)))
	}
	return out, true
}

// touch moves the block under key from queue place seq to the young end, if seq is in the older
// half of the queue.
func (c *Cache) touch(key string, seq uint64, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if seq < c.head || seq >= c.head+(c.next-c.head)/2 {
		return
	}
	next := c.next
	err := c.db.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(queueKey(seq)); err != nil {
			return err // evicted or moved meanwhile
		}
		if err := txn.Delete(queueKey(seq)); err != nil {
			return err
		}
		if err := txn.Set(queueKey(next), queueValue(key, n)); err != nil {
			return err
		}
		return txn.Set(append([]byte{placePrefix}, key...), binary.BigEndian.AppendUint64(nil, next))
	})
	if err == nil {
		c.next++
	}
}

// Add stores a block, evicting the least recently used ones past the size bound. Errors are dropped: a cache
// that cannot write only misses.
func (c *Cache) Add(key string, data []byte) {
	n := int64(len(data))
	if n > c.max || n > 1<<31 {
		return
	}
	bkey := append([]byte{blockPrefix}, key...)
	if _, ok := c.Get(key); ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	seq := c.next
	err := c.db.Update(func(txn *badger.Txn) error {
		if err := txn.Set(bkey, data); err != nil {
			return err
		}
		if err := txn.Set(append([]byte{placePrefix}, key...), binary.BigEndian.AppendUint64(nil, seq)); err != nil {
			return err
		}
		return txn.Set(queueKey(seq), queueValue(key, n))
	})
	if err != nil {
		return
	}
	c.next++
	c.size += n
	for c.size > c.max && c.head < c.next {
		c.evictOldest()
	}
}

// evictOldest drops the least recently used block; c.mu is held.
func (c *Cache) evictOldest() {
	seq := c.head
	c.head++
	_ = c.db.Update(func(txn *badger.Txn) error {
		it, err := txn.Get(queueKey(seq))
		if err != nil {
			return nil // already gone
		}
		v, err := it.ValueCopy(nil)
		if err != nil || len(v) < 4 {
			return txn.Delete(queueKey(seq))
		}
		n := int64(binary.BigEndian.Uint32(v))
		c.size -= n
		c.freed.Add(n)
		if err := txn.Delete(append([]byte{blockPrefix}, v[4:]...)); err != nil {
			return err
		}
		if err := txn.Delete(append([]byte{placePrefix}, v[4:]...)); err != nil {
			return err
		}
		return txn.Delete(queueKey(seq))
	})
	if c.freed.Load() > c.max/4 && c.gcRunning.CompareAndSwap(false, true) {
		c.freed.Store(0)
		go func() {
			defer c.gcRunning.Store(false)
			for c.db.RunValueLogGC(0.5) == nil {
			}
		}()
	}
}

// Size is the number of block bytes held.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Close closes the database.
func (c *Cache) Close() error {
	for c.gcRunning.Load() {
		// a running GC finishes its current file quickly
		runtime.Gosched()
	}
	return c.db.Close()
}

func queueValue(key string, n int64) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(n)), key...)
}

func queueKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{queuePrefix}, seq)
}
