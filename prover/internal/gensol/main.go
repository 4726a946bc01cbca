// Command gensol regenerates chain/contracts/Groth16Verifier.sol from the
// DevnetParams keys (set up once per machine, cached in $DSTORE_KEYS).
// Run it with `go generate ./prover/...`.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/dstore-net/dstore/prover"
)

func main() {
	out := flag.String("out", "../chain/contracts/Groth16Verifier.sol", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gensol:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	k, err := prover.LoadOrSetup(context.Background(), prover.DevnetParams)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := prover.ExportSolidity(&buf, k.VK, prover.DevnetParams); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
