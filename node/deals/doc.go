// Package deals is the provider's side of the marketplace: it puts a storage node
// (package node) to work on chain (package chain).
//
// A Service registers the node as a provider (its libp2p peer ID, addresses and
// asked price), follows the marketplace's events from the deployment block, and
// fills the slots that are meant for it: for every new storage request, each slot
// whose designated host is the node's account, or that is open to anyone and whose
// shard the node holds. Before filling a slot it waits for the node's Poseidon2
// tree of that shard (built in the background by the node) and checks that its root
// is the slot root the client committed to on chain: a node never locks collateral
// against bytes it does not have. A provider holds at most one slot per request
// (the contract's rule), so designated slots are tried first.
//
// The slots the node holds (rebuilt from SlotFilled, SlotFreed and RequestFinished
// events, so a restart picks up where it was) are answered by chain.RunProvingLoop:
// every challenge is proven with the Groth16 prover over the shard as read from the
// node's store (node.ShardReader) and the node's tree, one proof at a time, and
// submitted. The proving keys load once in the background while the service
// already follows the chain.
//
// Slots reports what the service holds and did; with Config.Metrics it exports
// dstore_slots_filled, dstore_fills_total, dstore_proofs_submitted_total,
// dstore_proof_failures_total and dstore_prove_seconds. `dstore node run --chain FILE`
// runs a Service next to the node.
package deals
