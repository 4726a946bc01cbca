package crypt_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/dstore-net/dstore/retrieval/crypt"
)

// Encrypt a file to a recipient, then read a range of its plaintext from the ciphertext: only
// the chunk that holds the range is read and authenticated.
func ExampleNewReaderAt() {
	me, _ := crypt.GenerateIdentity()
	var ct bytes.Buffer
	w, _ := crypt.Encrypt(&ct, me.Recipient())
	io.Copy(w, strings.NewReader(strings.Repeat("dstore ", 100000)))
	w.Close()

	r, err := crypt.NewReaderAt(bytes.NewReader(ct.Bytes()), int64(ct.Len()), me)
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, 6)
	r.ReadAt(buf, 7*70000)
	fmt.Println(r.Size(), crypt.IsEncrypted(ct.Bytes()), string(buf))
	// Output: 700000 true dstore
}
