//go:build tools

// Package dstore pins the dependencies the project builds on until code imports them.
package dstore

import (
	_ "github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	_ "github.com/consensys/gnark/backend/groth16"
	_ "github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	_ "github.com/consensys/gnark/frontend"
	_ "github.com/consensys/gnark/frontend/cs/r1cs"
	_ "github.com/consensys/gnark/std/permutation/poseidon2"
	_ "github.com/consensys/gnark/test"
	_ "github.com/dgraph-io/badger/v4"
	_ "github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	_ "github.com/ethereum/go-ethereum/cmd/abigen"
	_ "github.com/ethereum/go-ethereum/ethclient"
	_ "github.com/ethereum/go-ethereum/ethclient/simulated"
	_ "github.com/ethereum/go-ethereum/rpc"
	_ "github.com/ipfs/boxo/blockservice"
	_ "github.com/ipfs/boxo/blockstore"
	_ "github.com/ipfs/boxo/chunker"
	_ "github.com/ipfs/boxo/gateway"
	_ "github.com/ipfs/boxo/ipld/merkledag"
	_ "github.com/ipfs/boxo/ipld/unixfs/importer/balanced"
	_ "github.com/ipfs/boxo/ipld/unixfs/importer/helpers"
	_ "github.com/ipfs/go-cid"
	_ "github.com/ipld/go-car/v2"
	_ "github.com/klauspost/reedsolomon"
	_ "github.com/libp2p/go-libp2p"
	_ "github.com/libp2p/go-libp2p-kad-dht"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/urfave/cli/v2"
	_ "golang.org/x/sync/errgroup"
)
