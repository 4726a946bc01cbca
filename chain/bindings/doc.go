// Package bindings holds the Go bindings (abigen v2) of dstore's contracts, generated
// from chain/contracts by `go generate ./chain/...` and committed, so building and
// testing need neither node nor npm. Use package chain, not these bindings, from
// the rest of dstore.
package bindings
