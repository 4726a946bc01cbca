// Package wire defines dstore's libp2p protocols between clients and storage nodes: the protocol
// IDs, the framing of requests and responses, and the client side of every protocol.
//
// Every request is one header (a version byte and a few varints, at most MaxHeaderSize bytes)
// followed by at most one payload whose length the header states; every response is a status
// header followed by its payload. Lengths and indices read from the wire are bounded before use.
package wire
