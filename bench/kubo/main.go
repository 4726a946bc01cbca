// Command kubo is kubo v0.43.1's ipfs command, built from a module of its own so that the
// benchmark in bench/ can compare dstore with two kubo daemons without kubo entering dstore's
// module graph (or CI). Build: cd bench/kubo && go build -o ../../bin/ipfs .
package main

import (
	"os"

	"github.com/ipfs/kubo/cmd/ipfs/kubo"
)

func main() {
	os.Exit(kubo.Start(kubo.BuildDefaultEnv))
}
