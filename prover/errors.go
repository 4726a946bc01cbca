package prover

import "errors"

// Sentinel errors of package prover. Callers compare with errors.Is; the
// functions below wrap them with the detail that explains what went wrong.
var (
	// ErrInvalidParams reports circuit parameters that cannot be used.
	ErrInvalidParams = errors.New("prover: invalid parameters")
	// ErrSlotTooLarge reports a slot with more cells than the circuit's MaxDepth allows.
	ErrSlotTooLarge = errors.New("prover: slot too large for the circuit")
	// ErrCellIndex reports a cell index outside the slot.
	ErrCellIndex = errors.New("prover: cell index out of range")
	// ErrBadOpening reports a Merkle opening that does not lead to the claimed root.
	ErrBadOpening = errors.New("prover: opening does not match the root")
	// ErrBadEncoding reports bytes that do not decode to a tree, proof or public input.
	ErrBadEncoding = errors.New("prover: malformed encoding")
	// ErrInvalidProof reports a proof that does not verify against its public inputs.
	ErrInvalidProof = errors.New("prover: invalid proof")
	// ErrKeyMismatch reports keys that were made for other circuit parameters.
	ErrKeyMismatch = errors.New("prover: keys do not match the circuit parameters")
	// ErrTreeMismatch reports a tree that was not built for the given slot or parameters.
	ErrTreeMismatch = errors.New("prover: tree does not match the slot")
	// ErrCeremony reports a ceremony transcript that fails verification.
	ErrCeremony = errors.New("prover: ceremony verification failed")
)
