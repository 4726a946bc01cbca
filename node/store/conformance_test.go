package store_test

import (
	"testing"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/storetest"
)

func TestBadgerConformance(t *testing.T) {
	t.Run("pieces in badger", func(t *testing.T) { conformance(t) })
	t.Run("pieces in shard files", func(t *testing.T) { conformance(t, store.WithPieceFileMin(1)) })
}

func conformance(t *testing.T, opts ...store.Option) {
	dirs := map[store.Store]string{}
	open := func(t *testing.T) store.Store {
		dir := t.TempDir()
		s, err := store.OpenBadger(dir, opts...)
		if err != nil {
			t.Fatal(err)
		}
		dirs[s] = dir
		t.Cleanup(func() { s.Close() })
		return s
	}
	reopen := func(t *testing.T, s store.Store) store.Store {
		dir := dirs[s]
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2, err := store.OpenBadger(dir, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s2.Close() })
		return s2
	}
	storetest.RunConformance(t, open, reopen)
}
