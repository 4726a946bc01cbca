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
// events, so a restart picks up where it was) are answered by RunProvingLoop:
// every challenge is proven with the Groth16 prover over the shard as read from the
// node's store (node.ShardReader) and the node's tree, one proof at a time, and
// submitted. The proving keys load once in the background while the service
// already follows the chain.
//
// Payments come with every accepted proof; the collateral comes back only when the
// request is settled by finishRequest, which anyone may send one period after the
// request's last challenged period. The service sends it itself for every request in
// which it holds a slot, the provider of slot i 4*i blocks after that of slot 0 so that
// the providers of a request do not all pay for it (one that comes second finds the
// request finished, which settles all the same), then withdraws its whole balance in the
// contract to the provider's account, unless Config.NoWithdraw. It withdraws only after a
// settlement (its own or anyone's), never on its own schedule.
//
// Slots reports what the service holds and did; with Config.Metrics it exports
// dstore_slots_filled, dstore_fills_total, dstore_proofs_submitted_total,
// dstore_proof_failures_total, dstore_prove_seconds, dstore_requests_finished_total and
// dstore_withdrawn_wei_total. `dstore node run --chain FILE` runs a Service next to the
// node.
package deals
