package crypt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
)

// Identity is a secret key that decrypts the files encrypted to its Recipient.
type Identity struct {
	id  age.Identity
	pub string
}

// Recipient is a public key that files are encrypted to.
type Recipient struct {
	r   age.Recipient
	pub string
}

// GenerateIdentity returns a new random X25519 identity.
func GenerateIdentity() (Identity, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return Identity{}, err
	}
	return Identity{id: id, pub: id.Recipient().String()}, nil
}

// String is the identity's secret encoding, AGE-SECRET-KEY-1...: keep it secret.
func (i Identity) String() string {
	if s, ok := i.id.(fmt.Stringer); ok {
		return s.String()
	}
	return ""
}

// Recipient is the identity's public key.
func (i Identity) Recipient() Recipient {
	r, _ := ParseRecipient(i.pub)
	return r
}

// String is the recipient's encoding, age1...
func (r Recipient) String() string { return r.pub }

// ParseRecipient parses an age recipient (age1..., or age1pq1... for a post-quantum one).
func ParseRecipient(s string) (Recipient, error) {
	s = strings.TrimSpace(s)
	rs, err := age.ParseRecipients(strings.NewReader(s))
	if err != nil || len(rs) != 1 || strings.ContainsAny(s, "\n#") {
		// The text may be a secret key given by mistake: it is not repeated.
		return Recipient{}, fmt.Errorf("%w: not an age recipient (a public key starting with age1)", ErrBadKey)
	}
	return Recipient{r: rs[0], pub: s}, nil
}

// ParseIdentities reads an identity file: one AGE-SECRET-KEY-1... per line, lines starting with #
// and empty lines ignored (age-keygen's format).
func ParseIdentities(r io.Reader) ([]Identity, error) {
	ids, err := age.ParseIdentities(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	out := make([]Identity, 0, len(ids))
	for _, id := range ids {
		var pub string
		switch id := id.(type) {
		case *age.X25519Identity:
			pub = id.Recipient().String()
		case *age.HybridIdentity:
			pub = id.Recipient().String()
		default:
			return nil, fmt.Errorf("%w: unsupported identity type %T", ErrBadKey, id)
		}
		out = append(out, Identity{id: id, pub: pub})
	}
	return out, nil
}

// ReadIdentityFile reads the identities in the file at path.
func ReadIdentityFile(path string) ([]Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ids, err := ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ids, nil
}

// WriteIdentityFile writes id to a new file at path, readable by its owner only (0600), in
// age-keygen's format. It never overwrites a file.
func WriteIdentityFile(path string, id Identity) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "# created: %s\n# public key: %s\n%s\n", time.Now().UTC().Format(time.RFC3339), id.pub, id)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// identities unwraps ids for age.
func identities(ids []Identity) ([]age.Identity, error) {
	if len(ids) == 0 {
		return nil, ErrNoIdentity
	}
	out := make([]age.Identity, len(ids))
	for i, id := range ids {
		if id.id == nil {
			return nil, errors.New("crypt: zero Identity")
		}
		out[i] = id.id
	}
	return out, nil
}
