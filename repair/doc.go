// Package repair is dstore's repairer: it follows the marketplace for slots freed after missed
// proofs (SlotRepairOpened), rebuilds each lost shard segment by segment from K other holders
// (retrieval.Client.RebuildShard), and hands it to a registered provider that holds no shard of
// the file. The freed slot authorizes that upload (the node takes a repair ticket from any
// account); the provider checks the shard's tree against the slot root on chain and refills the
// slot, which pays it the repair reward (SlotRepaired). Files with the fewest live shards are
// repaired first, one shard at a time, so memory stays at a few segments.
//
// Anyone may run a repairer (`dstore repair --watch`): it needs the chain endpoint, a chain key to
// sign its upload tickets and a libp2p host that reaches the providers.
package repair
