// Package simchain is the embedded chain of the devnet and of tests: go-ethereum's simulated
// backend (a real EVM and a real dev chain, in process) behind chain.Backend, mining blocks on a
// timer, optionally on every transaction, and optionally serving JSON-RPC on 127.0.0.1 so other
// processes can share it. Package chain itself holds settlement only and never starts a chain.
package simchain
