package chain

import (
	"errors"
	"fmt"
)

// Sentinel errors. Contract reverts are translated to the matching sentinel (see
// RevertError), so callers test them with errors.Is.
var (
	ErrInvalidConfig  = errors.New("chain: invalid configuration")
	ErrNoKey          = errors.New("chain: no signing key")
	ErrBadKeyFile     = errors.New("chain: bad key file")
	ErrNoVerifier     = errors.New("chain: no Groth16Verifier bytecode in the bindings")
	ErrReverted       = errors.New("chain: transaction reverted")
	ErrEventNotFound  = errors.New("chain: expected event not in receipt")
	ErrUnknownRequest = errors.New("chain: unknown request")

	// Contract errors, one per Solidity custom error.
	ErrInvalidParams          = errors.New("chain: invalid parameters")
	ErrNotRegistered          = errors.New("chain: provider not registered")
	ErrRequestFinished        = errors.New("chain: request finished")
	ErrRequestNotEnded        = errors.New("chain: request not ended")
	ErrTooLate                = errors.New("chain: request too close to its end to fill a slot")
	ErrBadSlot                = errors.New("chain: no such slot")
	ErrSlotTaken              = errors.New("chain: slot already filled")
	ErrSlotNotFilled          = errors.New("chain: slot not filled")
	ErrNotHost                = errors.New("chain: slot reserved for another provider")
	ErrAlreadyHoldsSlot       = errors.New("chain: provider already holds a slot of this request")
	ErrInsufficientCollateral = errors.New("chain: insufficient collateral")
	ErrWrongPayment           = errors.New("chain: wrong payment")
	ErrNotSlotProvider        = errors.New("chain: caller is not the slot's provider")
	ErrNotChallenged          = errors.New("chain: slot not challenged in this period")
	ErrAlreadyDone            = errors.New("chain: period already proven or reported")
	ErrWindowOpen             = errors.New("chain: proof window still open")
	ErrEntropyUnavailable     = errors.New("chain: period entropy unavailable")
	ErrVerifierMismatch       = errors.New("chain: the deployed verifier is not the one of this verifying key")
	ErrBadHeader              = errors.New("chain: block header does not match its block hash")
	ErrInvalidProof           = errors.New("chain: invalid proof")
	ErrTransferFailed         = errors.New("chain: transfer failed")
	ErrNotUnlocked            = errors.New("chain: escrow withdrawal not announced or its delay not over")
	ErrUnknownDeal            = errors.New("chain: unknown permanent deal")
	ErrTermNotOver            = errors.New("chain: the permanent deal's term is not over")
	ErrExhausted              = errors.New("chain: the permanent deal's endowment is exhausted")
)

// contractErrors maps the Solidity custom error names to sentinels.
var contractErrors = map[string]error{
	"InvalidParams":          ErrInvalidParams,
	"NotRegistered":          ErrNotRegistered,
	"UnknownRequest":         ErrUnknownRequest,
	"RequestIsFinished":      ErrRequestFinished,
	"RequestNotEnded":        ErrRequestNotEnded,
	"TooLate":                ErrTooLate,
	"BadSlot":                ErrBadSlot,
	"SlotTaken":              ErrSlotTaken,
	"SlotNotFilled":          ErrSlotNotFilled,
	"NotHost":                ErrNotHost,
	"AlreadyHoldsSlot":       ErrAlreadyHoldsSlot,
	"InsufficientCollateral": ErrInsufficientCollateral,
	"WrongPayment":           ErrWrongPayment,
	"NotSlotProvider":        ErrNotSlotProvider,
	"NotChallenged":          ErrNotChallenged,
	"AlreadyDone":            ErrAlreadyDone,
	"WindowOpen":             ErrWindowOpen,
	"EntropyUnavailable":     ErrEntropyUnavailable,
	"BadHeader":              ErrBadHeader,
	"InvalidProof":           ErrInvalidProof,
	"TransferFailed":         ErrTransferFailed,
	"NotUnlocked":            ErrNotUnlocked,
	"UnknownDeal":            ErrUnknownDeal,
	"TermNotOver":            ErrTermNotOver,
	"Exhausted":              ErrExhausted,
}

// RevertError is a contract call or transaction that reverted with one of the
// marketplace's custom errors. It unwraps to the matching sentinel.
type RevertError struct {
	Method string // the contract method
	Name   string // the Solidity error name, "" when the revert carried no known error
	Args   []any  // the error's arguments
	Err    error  // the sentinel
}

func (e *RevertError) Error() string {
	if len(e.Args) > 0 {
		return fmt.Sprintf("%s: %v %v", e.Method, e.Err, e.Args)
	}
	return fmt.Sprintf("%s: %v", e.Method, e.Err)
}

func (e *RevertError) Unwrap() error { return e.Err }
