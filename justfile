# dstore recipes; `npm install -g rust-just` installs just. Every recipe is also a plain command.

# Run the demo: a local chain and storage nodes; put, deal, get, proofs, audit, node failures, slashing.
demo:
    go run ./cli/dstore demo

# Run the whole test suite (what CI runs).
test:
    go test -timeout 40m ./...

# Build the dstore binary into ./bin.
build:
    go build -o bin/dstore ./cli/dstore

# Run a local devnet (chain and 6 provider nodes) until Ctrl-C (state in ./.devnet).
devnet: build
    ./bin/dstore --home .devnet devnet

# Benchmarks: erasure seam vs raw encoder, put/get of 1 GiB on a 6-node network, client RSS, kubo,
# the namespace topology (as root),
# put to the first accepted proof of every slot on the devnet.
bench:
    go test -run '^$' -bench . -benchtime 1x -timeout 60m ./bench/

# The namespace benchmarks alone (root): delays, rate caps, a node slowed mid-run.
bench-netns:
    go test -run '^$' -bench Netns -benchtime 1x -timeout 60m ./bench/

# dstore against two kubo v0.43.1 daemons on loopback (kubo is built from bench/kubo, once about 5 minutes).
bench-kubo:
    go test -run '^$' -bench Kubo -benchtime 1x -timeout 60m ./bench/

# The HTTP gateway against nginx (apt-get install -y nginx) and kubo's gateway, same run.
bench-gateway:
    go test -run '^$' -bench 'Gateway' -benchtime 1x -timeout 60m ./bench/

# Regenerate the Solidity verifier and contract bindings (needs node and npm).
generate:
    go generate ./prover/... ./chain/...
