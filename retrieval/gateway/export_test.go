package gateway

// FastServed is the number of responses the fast path has written.
func FastServed(s *Server) int64 {
	if s.fast == nil {
		return 0
	}
	return s.fast.served.Load()
}

// NoFastPath turns the fast path off: every request goes to boxo's handler.
func NoFastPath(s *Server) { s.fast = nil }

// HeldBuffers is the sizes of the buffers c holds slices of.
func HeldBuffers(c *MemoryCache) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var sizes []int64
	for b := range c.held {
		sizes = append(sizes, b.size)
	}
	return sizes
}
