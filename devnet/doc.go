// Package devnet runs a local dstore network: the embedded chain (chain/simchain) with the
// contracts deployed and every account funded, one `dstore node run` process per node (each in a
// network namespace of its own with NetNS), an HTTP gateway, and HOME/devnet.json telling clients
// where it all is. New checks the Config, Start brings the network up, Run keeps it up until its
// context ends, Close stops it in reverse order. Demo is `dstore demo`: a devnet, a file put,
// its deal, proofs, an audit, nodes killed and the file read back.
//
// The node processes are started from the running binary (or DSTORE_EXE), which must be the
// dstore command: package cli wires the devnet into `dstore devnet` and `dstore demo`.
package devnet
