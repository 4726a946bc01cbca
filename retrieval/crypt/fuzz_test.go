package crypt_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/retrieval/crypt"
)

// fuzzIdentity is the recipient of the seed corpus in testdata/fuzz/FuzzDecrypt (a test key).
const fuzzIdentity = "AGE-SECRET-KEY-18A4UJ3L353MDJ4P33CAHJL5UEHZ20A6VSYQDKZ3CP7A2FEGCZTHQVT4SN8"

// FuzzDecrypt feeds arbitrary bytes, as a node could serve them, to both decrypting readers:
// neither panics, and when both accept the bytes they return the same plaintext.
func FuzzDecrypt(f *testing.F) {
	ids, err := crypt.ParseIdentities(strings.NewReader(fuzzIdentity))
	if err != nil {
		f.Fatal(err)
	}
	for _, size := range []int{0, 1, 100} {
		f.Add(encrypt(f, randomBytes(size, uint64(size)), ids[0].Recipient()))
	}
	f.Fuzz(func(t *testing.T, ct []byte) {
		var stream []byte
		r, err := crypt.NewReader(bytes.NewReader(ct), ids...)
		if err == nil {
			stream, err = io.ReadAll(r)
		}
		streamOK := err == nil
		ra, err := crypt.NewReaderAt(bytes.NewReader(ct), int64(len(ct)), ids...)
		if err != nil {
			if streamOK {
				t.Fatalf("the stream accepts what NewReaderAt refuses: %v", err)
			}
			return
		}
		if ra.Size() < 0 || ra.Size() > int64(len(ct)) {
			t.Fatalf("plaintext size %d for %d bytes of ciphertext", ra.Size(), len(ct))
		}
		all := make([]byte, ra.Size())
		n, err := ra.ReadAt(all, 0)
		if err != nil && !errors.Is(err, io.EOF) {
			if streamOK {
				t.Fatalf("the stream accepts what ReadAt refuses: %v", err)
			}
			return
		}
		if streamOK && !bytes.Equal(all[:n], stream) {
			t.Fatal("the two readers disagree")
		}
		if n > 1 {
			one := make([]byte, 1)
			if _, err := ra.ReadAt(one, int64(n-1)); (err != nil && !errors.Is(err, io.EOF)) || one[0] != all[n-1] {
				t.Fatalf("the last byte alone: %v", err)
			}
		}
	})
}
