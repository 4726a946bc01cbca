package crypt

import "errors"

var (
	// ErrNoIdentity is returned when a file must be decrypted and no identity was given.
	ErrNoIdentity = errors.New("no identity to decrypt with")
	// ErrWrongIdentity is returned when none of the given identities is a recipient of the file.
	ErrWrongIdentity = errors.New("none of the given identities can decrypt it: it is encrypted to other recipients")
	// ErrTampered is returned when the ciphertext fails authentication: it was altered or
	// truncated. No plaintext of a chunk that fails is ever returned.
	ErrTampered = errors.New("the ciphertext fails authentication: it was altered or truncated")
	// ErrNotEncrypted is returned when the bytes do not start with an age header.
	ErrNotEncrypted = errors.New("not an age-encrypted file")
	// ErrNoRecipient is returned by Encrypt when it has no recipient to encrypt to.
	ErrNoRecipient = errors.New("no recipient to encrypt to")
	// ErrBadKey is wrapped by the parsers of recipients and identities.
	ErrBadKey = errors.New("invalid key")
)
