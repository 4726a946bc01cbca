// Package repair is dstore's repairer. It follows the files it is given: every storage request on
// the marketplace (optionally only some roots) and the files without a deal of an uploader (its
// put history). It checks their holders' liveness, a libp2p ping every CheckInterval (10 s): a
// holder counts dead after DeadChecks (3) failed checks in a row spanning at least DeadAfter
// (30 s), and is then checked with a backoff doubling up to 10 minutes; one answer makes it live.
// A file whose lost shards (slots freed on chain, holders counted dead) exceed Margin (0 on the
// devnet: any) is repaired, the files with the least margin left (live shards - K) first:
//
//   - a slot whose holder counts dead: the repairer reports each challenged period its holder
//     did not prove (markProofAsMissing, which the contract lets anyone call, and which pays the
//     reporter), so that the contract frees the slot after its maxMissedProofs; it frees no slot
//     that would take the request past M lost (the request would fail), so slots beyond M wait
//     for earlier repairs;
//   - a slot open for repair (SlotRepairOpened): the shard is rebuilt segment by segment from K
//     other holders (retrieval.Client.RebuildShard) onto a registered provider that holds no
//     shard of the file; the freed slot authorizes that upload (the node takes a repair ticket
//     from any account); the provider checks the shard's tree against the slot root and refills
//     the slot, which pays it the repair reward (SlotRepaired);
//   - a shard of a file without a deal whose holders of record (the DHT's shard records,
//     sharding.ShardKey) all count dead: the shard is rebuilt onto a node holding none of the
//     file by the uploader itself (Config.Uploader: its client key on the nodes' allow-list and
//     its upload tickets, the rules of put), so a stranger cannot store in its name; the node
//     announces the shard on the DHT once it holds it whole.
//
// Repairs run one shard at a time, so memory stays at a few segments. A repair broken off (the
// repairer or the new holder restarted) is started again from the chain's state: pieces are
// write-once and the same bytes are accepted again; a half shard is neither announced nor proven
// and goes with its ticket after the node's upload grace.
//
// Anyone may run a repairer (`dstore repair --watch`): it needs the chain endpoint, a chain key to
// report misses and sign its repair tickets, and a libp2p host that reaches the providers.
package repair
