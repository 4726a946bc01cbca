// Command dstore is the command line of the dstore network: put and get files, run storage nodes and a
// local devnet, prove and audit storage.
package main

import (
	"os"

	"github.com/dstore-net/dstore/cli"
)

func main() {
	os.Exit(cli.Main(os.Args))
}
