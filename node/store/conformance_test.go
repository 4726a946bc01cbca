package store_test

import (
	"testing"

	"github.com/dstore-net/dstore/node/store"
	"github.com/dstore-net/dstore/node/store/storetest"
)

func TestBadgerConformance(t *testing.T) {
	dirs := map[store.Store]string{}
	open := func(t *testing.T) store.Store {
		dir := t.TempDir()
		s, err := store.OpenBadger(dir)
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
		s2, err := store.OpenBadger(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s2.Close() })
		return s2
	}
	storetest.RunConformance(t, open, reopen)
}
