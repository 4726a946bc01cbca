package store

// WithPieceFileMin keeps the bytes of pieces of n bytes or more in their shard's file, for tests
// of that path with small pieces.
func WithPieceFileMin(n int) Option { return func(b *Badger) { b.fileMin = n } }

// WithMoveBatch moves n pieces per transaction, for tests of moves in several.
func WithMoveBatch(n int) Option { return func(b *Badger) { b.moveMax = n } }
