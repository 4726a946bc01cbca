// Package p2p builds what nodes and clients share on the network: the libp2p host (NewHost, the
// one host constructor), its identity key (LoadIdentity) and dstore's Kademlia DHT (NewDHT).
// Package node serves storage on such a host; package retrieval reads through one.
package p2p
