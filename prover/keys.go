package prover

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"
)

func init() {
	// gnark logs through zerolog to stdout by default; a library stays silent.
	logger.Disable()
}

// Keys are the compiled circuit and its Groth16 keys for one Params.
type Keys struct {
	Params Params
	VK     *VerifyingKey // all a verifier needs
	cs     *csbn254.R1CS
	pk     *groth16bn254.ProvingKey
}

// VerifyingKey is a Groth16 verifying key over BN254. Its contents stay inside package prover:
// callers load, read, write, compare and verify with it through this package only.
type VerifyingKey struct{ g *groth16bn254.VerifyingKey }

// WriteTo writes the key in its binary form (a .vk file, read by ReadVerifyingKey).
func (v *VerifyingKey) WriteTo(w io.Writer) (int64, error) { return v.g.WriteTo(w) }

// Equal reports whether v and o are the same key.
func (v *VerifyingKey) Equal(o *VerifyingKey) bool {
	var a, b bytes.Buffer
	_, errA := v.WriteTo(&a)
	_, errB := o.WriteTo(&b)
	return errA == nil && errB == nil && bytes.Equal(a.Bytes(), b.Bytes())
}

// Compile compiles the circuit of p to an R1CS over BN254.
func Compile(p Params) (*csbn254.R1CS, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, NewCircuit(p))
	if err != nil {
		return nil, fmt.Errorf("prover: compile %s: %w", p, err)
	}
	return ccs.(*csbn254.R1CS), nil
}

// DevBeacon is the public beacon string that seals the deterministic devnet
// setup of p. Anyone can recompute the keys from it: they are NOT secure.
func DevBeacon(p Params) []byte {
	return []byte("dstore insecure devnet setup " + p.String() + " " + p.ID())
}

// DevSetup derives Groth16 keys for ccs from the public beacon DevBeacon(p).
// It is deterministic, so a fresh clone derives the same keys as the
// committed Solidity verifier; and it is insecure, because the toxic waste
// follows from a public string. Devnet and tests only: production keys come
// from a ceremony (see ceremony.go).
func DevSetup(ccs *csbn254.R1CS, p Params) (*groth16bn254.ProvingKey, *groth16bn254.VerifyingKey, error) {
	return devSetup(ccs, DevBeacon(p))
}

// KeyDir is where keys are cached: $DSTORE_KEYS, or the user cache
// directory's dstore/keys.
func KeyDir() string {
	if d := os.Getenv("DSTORE_KEYS"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "dstore", "keys")
	}
	return filepath.Join(os.TempDir(), "dstore-keys")
}

// KeyFiles returns the paths of the cached circuit, proving and verifying key of p in dir.
func KeyFiles(dir string, p Params) (ccsPath, pkPath, vkPath string) {
	base := filepath.Join(dir, p.String()+"-"+p.ID())
	return base + ".r1cs", base + ".pk", base + ".vk"
}

// Turn takes the proving turn named by path, waiting until it is free or ctx is done, and
// returns its release. Provers that share one machine (a devnet's nodes) and name the same
// file prove one at a time: each proof gets every core, so a period's proofs finish one
// after another instead of all together and all late.
func Turn(ctx context.Context, path string) (release func(), err error) {
	return lockFile(ctx, path)
}

// KeyOption tunes LoadOrSetup.
type KeyOption func(*keyConfig)

type keyConfig struct {
	dir    string
	logger *slog.Logger
}

// WithKeyDir overrides KeyDir().
func WithKeyDir(dir string) KeyOption { return func(c *keyConfig) { c.dir = dir } }

// WithLogger sets the logger (nil: silent).
func WithLogger(l *slog.Logger) KeyOption { return func(c *keyConfig) { c.logger = l } }

// LoadOrSetup returns the keys of p from the cache, or compiles the circuit,
// runs DevSetup and caches the result. Concurrent callers (the devnet's node
// processes) serialize on a lock file so the setup runs once per machine.
func LoadOrSetup(ctx context.Context, p Params, opts ...KeyOption) (*Keys, error) {
	cfg := keyConfig{dir: KeyDir()}
	for _, o := range opts {
		o(&cfg)
	}
	log := cfg.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.dir, 0o755); err != nil {
		return nil, fmt.Errorf("prover: key dir: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(cfg.dir, p.String()+".lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()

	if k, err := LoadKeys(cfg.dir, p); err == nil {
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		log.Warn("cached keys unusable, redoing setup", "params", p.String(), "err", err)
	}
	log.Info("compiling circuit and running the devnet setup (once per machine)", "params", p.String())
	ccs, err := Compile(p)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pk, vk, err := DevSetup(ccs, p)
	if err != nil {
		return nil, err
	}
	k := &Keys{Params: p, cs: ccs, pk: pk, VK: &VerifyingKey{vk}}
	if err := k.Save(cfg.dir); err != nil {
		return nil, err
	}
	log.Info("keys cached", "dir", cfg.dir, "constraints", ccs.GetNbConstraints())
	return k, nil
}

// Save writes the keys to dir under their versioned names.
func (k *Keys) Save(dir string) error {
	c, pk, vk := KeyFiles(dir, k.Params)
	for _, f := range []struct {
		path string
		w    io.WriterTo
	}{{c, k.cs}, {pk, rawPK{k.pk}}, {vk, k.VK}} {
		if err := writeAtomic(f.path, f.w); err != nil {
			return err
		}
	}
	return nil
}

type rawPK struct{ pk *groth16bn254.ProvingKey }

func (r rawPK) WriteTo(w io.Writer) (int64, error) { return r.pk.WriteRawTo(w) }

// LoadKeys reads cached keys of p from dir. A missing file gives an error
// wrapping os.ErrNotExist.
func LoadKeys(dir string, p Params) (*Keys, error) {
	c, pkPath, _ := KeyFiles(dir, p)
	ccs := new(csbn254.R1CS)
	pk := new(groth16bn254.ProvingKey)
	if err := readFile(c, ccs.ReadFrom); err != nil {
		return nil, err
	}
	// The cache is our own output: skip the subgroup checks, they cost seconds.
	if err := readFile(pkPath, pk.UnsafeReadFrom); err != nil {
		return nil, err
	}
	vk, err := LoadVerifyingKey(dir, p)
	if err != nil {
		return nil, err
	}
	k := &Keys{Params: p, cs: ccs, pk: pk, VK: vk}
	if err := k.check(); err != nil {
		return nil, err
	}
	return k, nil
}

// LoadVerifyingKey reads only the verifying key of p from dir: all an auditor needs.
func LoadVerifyingKey(dir string, p Params) (*VerifyingKey, error) {
	_, _, vkPath := KeyFiles(dir, p)
	vk := new(groth16bn254.VerifyingKey)
	if err := readFile(vkPath, vk.ReadFrom); err != nil {
		return nil, err
	}
	if vk.NbPublicWitness() != 2 || len(vk.PublicAndCommitmentCommitted) != 0 {
		return nil, fmt.Errorf("%w: verifying key has %d public inputs", ErrKeyMismatch, vk.NbPublicWitness())
	}
	return &VerifyingKey{vk}, nil
}

func (k *Keys) check() error {
	if k.cs.GetNbPublicVariables() != 3 || k.VK.g.NbPublicWitness() != 2 {
		return fmt.Errorf("%w: public inputs", ErrKeyMismatch)
	}
	if uint64(k.cs.GetNbConstraints()) > k.pk.Domain.Cardinality {
		return fmt.Errorf("%w: circuit larger than the proving key", ErrKeyMismatch)
	}
	return nil
}

// ReadVerifyingKey decodes a verifying key written by WriteTo (e.g. a .vk file).
func ReadVerifyingKey(r io.Reader) (*VerifyingKey, error) {
	vk := new(groth16bn254.VerifyingKey)
	if _, err := vk.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("%w: verifying key: %w", ErrBadEncoding, err)
	}
	return &VerifyingKey{vk}, nil
}

func readFile(path string, read func(io.Reader) (int64, error)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := read(bufio.NewReaderSize(f, 1<<20)); err != nil {
		return fmt.Errorf("prover: read %s: %w", path, err)
	}
	return nil
}

func writeAtomic(path string, w io.WriterTo) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("prover: write keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if _, err := w.WriteTo(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("prover: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("prover: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("prover: write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

var (
	_ groth16.ProvingKey          = (*groth16bn254.ProvingKey)(nil)
	_ constraint.ConstraintSystem = (*csbn254.R1CS)(nil)
)

// Constraints is the size of the circuit: its number of R1CS constraints.
func (k *Keys) Constraints() int { return k.cs.GetNbConstraints() }
