package audit

import "errors"

var (
	// ErrInvalidConfig is a Config that Validate rejects.
	ErrInvalidConfig = errors.New("audit: invalid configuration")
	// ErrOffChainMismatch is a proof the chain accepted but the verifying key rejects.
	ErrOffChainMismatch = errors.New("audit: proof accepted on chain fails off-chain verification")
)
