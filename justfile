# dstore recipes; `npm install -g rust-just` installs just. Every recipe is also a plain command.

# Run the demo: a local network of storage nodes, put, get, node failures, get again.
demo:
    go run ./cli/dstore demo

# Run the whole test suite (what CI runs).
test:
    go test -timeout 40m ./...

# Build the dstore binary into ./bin.
build:
    go build -o bin/dstore ./cli/dstore

# Run a local devnet until Ctrl-C (state in ./.devnet).
devnet: build
    ./bin/dstore --home .devnet devnet

# Benchmarks: erasure seam vs raw encoder, put/get of 1 GiB on a 6-node network, client RSS, proofs.
bench:
    go test -run '^$' -bench . -benchtime 1x -timeout 60m ./bench/

# Regenerate the Solidity verifier and contract bindings (needs node and npm).
generate:
    go generate ./prover/... ./chain/...
