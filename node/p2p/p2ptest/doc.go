// Package p2ptest starts libp2p hosts on 127.0.0.1 for tests, closed when the test ends: the
// clients, strangers and hostile peers that tests set against real nodes. It imports nothing of
// dstore but node/p2p, so the tests of every package above it can use it, node/wire's included.
package p2ptest
