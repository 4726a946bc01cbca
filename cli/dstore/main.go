// Command dstore is the command line of the dstore network: put and get files, run storage nodes and a
// local devnet, prove and audit storage.
//
// With DSTORE_PPROF_DIR set, every dstore process (a devnet's nodes too) writes a CPU profile and
// an allocation profile of its run into that directory, named after its command and process ID
// (cpu-get-1234.pprof, allocs-get-1234.pprof), for `go tool pprof`.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/dstore-net/dstore/cli"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := os.Getenv("DSTORE_PPROF_DIR")
	if dir == "" {
		return cli.Main(os.Args)
	}
	name := func(kind string) string {
		return filepath.Join(dir, fmt.Sprintf("%s-%s-%d.pprof", kind, command(os.Args), os.Getpid()))
	}
	f, err := os.Create(name("cpu"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "dstore: DSTORE_PPROF_DIR: %v\n", err)
		return 1
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "dstore: DSTORE_PPROF_DIR: %v\n", err)
		return 1
	}
	code := cli.Main(os.Args)
	pprof.StopCPUProfile()
	if a, err := os.Create(name("allocs")); err == nil {
		_ = pprof.Lookup("allocs").WriteTo(a, 0)
		a.Close()
	}
	return code
}

// command is the first argument that names a command (not a flag or its value), "dstore" if none.
func command(args []string) string {
	for _, a := range args[1:] {
		switch a {
		case "put", "get", "node", "devnet", "gateway", "status", "cid", "demo":
			return a
		}
	}
	return "dstore"
}
