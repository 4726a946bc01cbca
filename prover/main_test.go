package prover

import (
	"os"
	"testing"
)

var keyDirForTests string

func tempKeyDir() (string, error) { return keyDirForTests, nil }

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dstore-prover-keys")
	if err != nil {
		panic(err)
	}
	keyDirForTests = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
