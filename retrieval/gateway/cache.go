package gateway

import (
	"container/list"
	"sync"
)

// MemoryCache is a Cache in memory that evicts the least recently used blocks past its size.
type MemoryCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	ll    *list.List
	items map[string]*list.Element
}

type memEntry struct {
	key  string
	data []byte
}

var _ Cache = (*MemoryCache)(nil)

// NewMemoryCache returns a cache of at most maxBytes bytes of blocks.
func NewMemoryCache(maxBytes int64) *MemoryCache {
	return &MemoryCache{max: maxBytes, ll: list.New(), items: map[string]*list.Element{}}
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
	n := int64(len(data) + len(key))
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.items[key] = c.ll.PushFront(&memEntry{key: key, data: data})
	c.size += n
	for c.size > c.max {
		e := c.ll.Back()
		ent := e.Value.(*memEntry)
		c.ll.Remove(e)
		delete(c.items, ent.key)
		c.size -= int64(len(ent.data) + len(ent.key))
	}
}

// Size is the number of bytes cached.
func (c *MemoryCache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Tiered is a Cache of two levels: a hit in the second is copied to the first, and blocks are
// added to both (a small memory cache in front of a large disk cache).
type Tiered struct{ First, Second Cache }

var _ Cache = Tiered{}

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
