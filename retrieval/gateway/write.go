package gateway

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/ipfs/boxo/blockservice"
	"github.com/ipfs/boxo/files"
	"github.com/ipfs/boxo/ipld/merkledag"
	unixfile "github.com/ipfs/boxo/ipld/unixfs/file"
	"github.com/ipfs/go-cid"

	"github.com/dstore-net/dstore/sharding"
)

// WriteTree writes the UnixFS file, directory tree or symlink root to path, which must not exist.
// Every block is checked against its CID on the way.
func (s *Blockstore) WriteTree(ctx context.Context, root cid.Cid, path string) error {
	dag := merkledag.NewDAGService(blockservice.New(s, nil))
	nd, err := dag.Get(ctx, root)
	if err != nil {
		return err
	}
	f, err := unixfile.NewUnixfsFile(ctx, dag, nd)
	if err != nil {
		return fmt.Errorf("%s is not UnixFS: %w", root, err)
	}
	defer f.Close()
	return files.WriteTo(f, path)
}

// WriteCAR writes a CAR (version 1) of the whole DAG under root to w, as the gateway serves it
// for `?format=car&dag-scope=all`.
func (s *Server) WriteCAR(ctx context.Context, root cid.Cid, w io.Writer) error {
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/ipfs/"+root.String()+"?format=car&dag-scope=all&car-dups=n", nil)
	req.Host = "127.0.0.1"
	// The handler can only report a failure after the first bytes by breaking the CAR (its trailer
	// does not pass the retrieval-timeout middleware), so the stream is read back as it is written:
	// a CAR broken off mid-stream must not pass for a whole one.
	pr, pw := io.Pipe()
	checked := make(chan error, 1)
	go func() {
		_, err := sharding.CheckCAR(pr)
		io.Copy(io.Discard, pr) // after a bad section, keep the writer from blocking
		checked <- err
	}()
	rw := &carWriter{w: io.MultiWriter(w, pw), header: http.Header{}}
	s.handler.ServeHTTP(rw, req)
	pw.Close()
	checkErr := <-checked
	switch {
	case rw.err != nil:
		return rw.err
	case rw.status != http.StatusOK && rw.status != 0:
		return fmt.Errorf("CAR of %s: HTTP status %d", root, rw.status)
	case checkErr != nil:
		return fmt.Errorf("CAR of %s broken off: %w", root, checkErr)
	}
	return nil
}

// carWriter streams a response body to w.
type carWriter struct {
	w      io.Writer
	header http.Header
	status int
	err    error
}

func (c *carWriter) Header() http.Header { return c.header }
func (c *carWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
func (c *carWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if c.status != http.StatusOK {
		return len(b), nil
	}
	n, err := c.w.Write(b)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}
