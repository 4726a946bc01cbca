// Package audit is dstore's auditor: it follows the marketplace's events,
// re-verifies every submitted proof off chain with the verifying key (so a broken
// or swapped on-chain verifier is noticed), reports every missed proof on chain and
// claims the reward, and keeps a per-slot report that `dstore audit --json` prints.
//
// Anyone may run an auditor: it needs only a JSON-RPC endpoint, the marketplace's
// address, the verifying key and, to report, a funded key.
package audit
