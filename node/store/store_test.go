package store

import "testing"

func TestBadgerConformance(t *testing.T) {
	dirs := map[Store]string{}
	open := func(t *testing.T) Store {
		dir := t.TempDir()
		s, err := OpenBadger(dir)
		if err != nil {
			t.Fatal(err)
		}
		dirs[s] = dir
		t.Cleanup(func() { s.Close() })
		return s
	}
	reopen := func(t *testing.T, s Store) Store {
		dir := dirs[s]
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2, err := OpenBadger(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s2.Close() })
		return s2
	}
	RunConformance(t, open, reopen)
}
