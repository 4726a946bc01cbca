// Package crypt is dstore's client-side encryption: the one seam over age (filippo.io/age). No
// other package imports age.
//
// A private file is encrypted on the client, before any byte leaves it, into an age v1 file
// (X25519 recipients, ChaCha20-Poly1305 in 64 KiB chunks, each authenticated). The CID names the
// ciphertext, so sharding, proofs, repair and trustless gateway responses see ordinary bytes and
// verify them as before; only a holder of a matching identity reads the plaintext.
//
// Encrypt writes the ciphertext; NewReader decrypts a stream; NewReaderAt decrypts any byte range
// of the plaintext by reading only the ciphertext chunks that hold it (plus the header and the
// final chunk, once, when it is opened), from any io.ReaderAt of the ciphertext, such as a reader
// over the network. Every chunk is authenticated before a byte of its plaintext is returned:
// altered or truncated ciphertext is ErrTampered, never wrong plaintext.
//
// Identities (secret keys) and recipients (their public keys) are age's text encodings
// (AGE-SECRET-KEY-1..., age1...), and identity files are age-keygen's format, so the age tool
// reads dstore's files and keys and the other way round.
package crypt
