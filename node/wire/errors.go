package wire

import (
	"errors"
	"fmt"
)

// Errors a node answers with; a client gets them wrapped in a *RemoteError and tests them with
// errors.Is.
var (
	ErrNotFound   = errors.New("not found")
	ErrCorrupt    = errors.New("stored bytes fail their SHA-256")
	ErrTooLarge   = errors.New("message too large")
	ErrBadRequest = errors.New("bad request")
	ErrInternal   = errors.New("internal error")
	// ErrHashMismatch refuses a piece whose bytes do not match the hash sent with it or its hash in its manifest. It also
	// matches ErrBadRequest.
	ErrHashMismatch = errors.New("piece does not match its hash")
	// ErrBusy refuses a request when the node serves as many as it allows; try again or elsewhere.
	ErrBusy = errors.New("node busy")
	// ErrFull refuses a write that would take the node past its storage quota; what it stored
	// before is kept.
	ErrFull = errors.New("node storage full")
	// ErrForbidden refuses a write from a peer the node does not store for: not on its allow-list
	// and holding no valid upload ticket for what it sends.
	ErrForbidden = errors.New("not authorized to store here")
	// ErrQuota refuses an upload ticket whose bytes would take its account over the node's quota of
	// bytes not yet paid for on chain.
	ErrQuota = errors.New("over the account's quota of unpaid bytes")
	// ErrExists refuses a write over a key that holds other bytes: pieces and manifests are
	// write-once (storing the same bytes again succeeds).
	ErrExists = errors.New("already holds other bytes")
	// ErrPaymentRequired refuses a read from a client that has not signed a receipt for what the
	// node served it beyond one receipt step, or whose receipt or escrow does not cover the price.
	ErrPaymentRequired = errors.New("payment required: sign a receipt for the bytes served")
	// ErrUnsupported reports a node that does not speak a request's protocol (an older build).
	ErrUnsupported = errors.New("protocol not supported by the node")
	// ErrProtocol reports bytes that do not follow the wire format.
	ErrProtocol = errors.New("malformed message")
)

// Status codes on the wire.
const (
	statusOK byte = iota
	statusNotFound
	statusCorrupt
	statusTooLarge
	statusBadRequest
	statusInternal
	statusHashMismatch
	statusBusy
	statusFull
	statusForbidden
	statusQuota
	statusExists
	statusPayment
)

var statusErrors = map[byte]error{
	statusNotFound:   ErrNotFound,
	statusCorrupt:    ErrCorrupt,
	statusTooLarge:   ErrTooLarge,
	statusBadRequest: ErrBadRequest,
	statusInternal:   ErrInternal,
	// statusHashMismatch is handled in RemoteError.Unwrap and StatusOf.
	statusBusy:      ErrBusy,
	statusFull:      ErrFull,
	statusForbidden: ErrForbidden,
	statusQuota:     ErrQuota,
	statusExists:    ErrExists,
	statusPayment:   ErrPaymentRequired,
}

// StatusOf maps an error to the status code a node answers with.
func StatusOf(err error) byte {
	if errors.Is(err, ErrHashMismatch) {
		return statusHashMismatch
	}
	for code := statusNotFound; code <= statusPayment; code++ { // in a fixed order
		if e, ok := statusErrors[code]; ok && errors.Is(err, e) {
			return code
		}
	}
	return statusInternal
}

// RemoteError is an error answered by a remote node.
type RemoteError struct {
	Peer string
	Code byte
	Msg  string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("node %s: %s", e.Peer, e.Msg)
}

// Unwrap returns the sentinel errors of e's status code, for errors.Is.
func (e *RemoteError) Unwrap() []error {
	if e.Code == statusHashMismatch {
		return []error{ErrHashMismatch, ErrBadRequest}
	}
	if err, ok := statusErrors[e.Code]; ok {
		return []error{err}
	}
	return []error{ErrInternal}
}

// statusNames name the status codes in metrics and logs.
var statusNames = map[byte]string{
	statusOK: "ok", statusNotFound: "not_found", statusCorrupt: "corrupt", statusTooLarge: "too_large",
	statusBadRequest: "bad_request", statusInternal: "internal", statusHashMismatch: "hash_mismatch",
	statusBusy: "busy", statusFull: "full", statusForbidden: "forbidden", statusQuota: "quota",
	statusExists: "exists", statusPayment: "payment_required",
}

// StatusName names a status code ("ok", "busy", ...; "unknown" for a code this version lacks).
func StatusName(code byte) string {
	if n, ok := statusNames[code]; ok {
		return n
	}
	return "unknown"
}
