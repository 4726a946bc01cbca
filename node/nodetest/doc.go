// Package nodetest starts real storage nodes on 127.0.0.1 for tests, with their repos in
// t.TempDir(), and damages their stores on purpose. The retrieval and cli tests use it too.
package nodetest
