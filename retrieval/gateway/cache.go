package gateway

import (
	"bytes"
	"container/list"
	"sync"
)

// MemoryCache is a Cache in memory that evicts the least recently used blocks past its size. It
// counts the memory it holds: a block of its own by its length, and blocks kept as slices of a
// larger buffer (AddSlice) by the whole buffer, once, while any of them is cached.
type MemoryCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	ll    *list.List
	items map[string]*list.Element
	held  map[*Buffer]int // cached blocks of each buffer
}

// Buffer names a buffer that cached blocks are slices of, and its size in bytes (its capacity,
// all of which stays in memory while one slice of it is kept).
type Buffer struct{ size int64 }

// NewBuffer returns the Buffer of b, whose slices AddSlice caches.
func NewBuffer(b []byte) *Buffer { return &Buffer{size: int64(cap(b))} }

type memEntry struct {
	key  string
	data []byte
	buf  *Buffer // the buffer data is a slice of, nil if data is a block of its own
}

var _ Cache = (*MemoryCache)(nil)

// SliceCache is what a Cache may offer besides (a MemoryCache and a Tiered over one do): blocks
// kept as slices of a larger buffer without a copy.
type SliceCache interface {
	// AddSlice caches data, a slice of the buffer buf names, counting the whole buffer while
	// any of its blocks is cached; false if the cache keeps no slices of buf (the buffer is
	// larger than the cache), so that the caller may Add a copy. Callers must not change the
	// buffer afterwards.
	AddSlice(key string, data []byte, buf *Buffer) bool
}

var _ SliceCache = (*MemoryCache)(nil)

// NewMemoryCache returns a cache of at most maxBytes bytes of blocks.
func NewMemoryCache(maxBytes int64) *MemoryCache {
	return &MemoryCache{max: maxBytes, ll: list.New(), items: map[string]*list.Element{}, held: map[*Buffer]int{}}
}

// Get returns a cached block and marks it recently used.
func (c *MemoryCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*memEntry).data, true
}

// Contains says whether a block is cached, without marking it used.
func (c *MemoryCache) Contains(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[key]
	return ok
}

// Add caches a block; callers must not change data afterwards.
func (c *MemoryCache) Add(key string, data []byte) {
	if int64(len(data)+len(key)) <= c.max {
		c.add(&memEntry{key: key, data: data})
	}
}

// AddSlice caches data, a slice of the buffer buf names, without a copy: the cache counts the
// whole buffer once while any block of it is cached.
func (c *MemoryCache) AddSlice(key string, data []byte, buf *Buffer) bool {
	if buf.size+int64(len(key)) > c.max {
		return false
	}
	c.add(&memEntry{key: key, data: data, buf: buf})
	return true
}

func (c *MemoryCache) add(ent *memEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[ent.key]; ok {
		c.ll.MoveToFront(e)
		old := e.Value.(*memEntry)
		if ent.buf == nil || old.buf == ent.buf {
			return
		}
		// A slice of another buffer (the segment fetched again) replaces the block: the older
		// buffer is let go once none of its blocks is left, not kept for this one.
		c.size -= c.charge(old, -1)
		e.Value = ent
	} else {
		c.items[ent.key] = c.ll.PushFront(ent)
	}
	c.size += c.charge(ent, 1)
	for c.size > c.max {
		e := c.ll.Back()
		old := e.Value.(*memEntry)
		c.ll.Remove(e)
		delete(c.items, old.key)
		c.size -= c.charge(old, -1)
	}
}

// charge is the memory an entry added (delta 1) takes, or one removed (delta -1) gives back: its
// key and its bytes, or its key and, for the first slice of a buffer added or the last removed,
// the whole buffer. c.mu is held.
func (c *MemoryCache) charge(ent *memEntry, delta int) int64 {
	n := int64(len(ent.key))
	if ent.buf == nil {
		return n + int64(len(ent.data))
	}
	refs := c.held[ent.buf] + delta
	if refs == 0 {
		delete(c.held, ent.buf)
	} else {
		c.held[ent.buf] = refs
	}
	if delta > 0 && refs == 1 || delta < 0 && refs == 0 {
		n += ent.buf.size
	}
	return n
}

// Size is the number of bytes cached: the memory the cache holds.
func (c *MemoryCache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Tiered is a Cache of two levels: a hit in the second is copied to the first, and blocks are
// added to both (a small memory cache in front of a large disk cache).
type Tiered struct{ First, Second Cache }

var (
	_ Cache      = Tiered{}
	_ SliceCache = Tiered{}
)

// Get looks in First, then in Second.
func (t Tiered) Get(key string) ([]byte, bool) {
	if b, ok := t.First.Get(key); ok {
		return b, true
	}
	b, ok := t.Second.Get(key)
	if ok {
		t.First.Add(key, b)
	}
	return b, ok
}

// Contains says whether First holds a block (if First can say).
func (t Tiered) Contains(key string) bool {
	c, ok := t.First.(interface{ Contains(string) bool })
	return ok && c.Contains(key)
}

// Add adds to both levels.
func (t Tiered) Add(key string, data []byte) {
	t.First.Add(key, data)
	t.Second.Add(key, data)
}

// AddSlice adds a slice of a buffer to First if it keeps slices (false if not), and to Second
// as a slice if it keeps them, else as a block of its own (a disk cache writes a copy).
func (t Tiered) AddSlice(key string, data []byte, buf *Buffer) bool {
	sc, ok := t.First.(SliceCache)
	if !ok || !sc.AddSlice(key, data, buf) {
		return false
	}
	if sc, ok := t.Second.(SliceCache); !ok || !sc.AddSlice(key, data, buf) {
		t.Second.Add(key, bytes.Clone(data))
	}
	return true
}
