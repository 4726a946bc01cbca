package prover

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

var (
	testKeysOnce sync.Once
	testKeys     *Keys
	testKeysErr  error
)

// keysFor returns the TestParams keys, set up once per test binary in a
// shared temp dir (the setup itself is what is being tested, so no cache
// outside the test).
func keysForTest(t testing.TB) *Keys {
	t.Helper()
	testKeysOnce.Do(func() {
		dir, err := tempKeyDir()
		if err != nil {
			testKeysErr = err
			return
		}
		testKeys, testKeysErr = LoadOrSetup(context.Background(), TestParams, WithKeyDir(dir))
	})
	if testKeysErr != nil {
		t.Fatal(testKeysErr)
	}
	return testKeys
}

func TestProveVerifyRoundTrip(t *testing.T) {
	k := keysForTest(t)
	p := k.Params
	slot := randomSlot(t, 50*p.CellSize+3, 21)
	tree := mustCommit(t, slot, p)
	ch := testChallenge(9)
	proof, err := NewProver(k).Prove(context.Background(), slot, tree, ch)
	if err != nil {
		t.Fatal(err)
	}
	pub := PublicInputs{Root: tree.Root(), Challenge: ch}
	if err := Verify(k.VK, pub, proof); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	// Serialization round trip.
	b, err := proof.MarshalBinary()
	if err != nil || len(b) != ProofSize {
		t.Fatalf("MarshalBinary: %d bytes, %v", len(b), err)
	}
	var back Proof
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := Verify(k.VK, pub, &back); err != nil {
		t.Fatalf("Verify decoded: %v", err)
	}
	if string(proof.Solidity()) != string(b) {
		t.Fatal("Solidity() differs from MarshalBinary()")
	}
	pb, _ := pub.MarshalBinary()
	var pubBack PublicInputs
	if err := pubBack.UnmarshalBinary(pb); err != nil || pubBack != pub {
		t.Fatalf("public inputs round trip: %v", err)
	}

	// The same proof must fail for any other public input.
	other := mustCommit(t, randomSlot(t, 50*p.CellSize+3, 22), p)
	var e, r [32]byte
	e[0], r[0] = 9, 7
	tests := []struct {
		name string
		pub  PublicInputs
	}{
		{"other root", PublicInputs{Root: other.Root(), Challenge: ch}},
		{"other entropy", PublicInputs{Root: tree.Root(), Challenge: testChallenge(10)}},
		{"other slot index", PublicInputs{Root: tree.Root(), Challenge: Challenge(e, r, 2, [20]byte{0xaa})}},
		{"other provider", PublicInputs{Root: tree.Root(), Challenge: Challenge(e, r, 1, [20]byte{0xab})}},
		{"swapped inputs", PublicInputs{Root: ch, Challenge: tree.Root()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Verify(k.VK, tc.pub, proof); !errors.Is(err, ErrInvalidProof) {
				t.Fatalf("err = %v, want ErrInvalidProof", err)
			}
		})
	}
}

func TestProveRejectsForeignTree(t *testing.T) {
	k := keysForTest(t)
	p := k.Params
	slot := randomSlot(t, 10*p.CellSize, 31)
	tree := mustCommit(t, slot, p)
	changed := append(BytesSlot(nil), slot...)
	for i := range changed {
		changed[i] ^= 0xff
	}
	if _, err := NewProver(k).Prove(context.Background(), changed, tree, testChallenge(3)); !errors.Is(err, ErrTreeMismatch) {
		t.Fatalf("err = %v, want ErrTreeMismatch", err)
	}
}

func TestCachedKeysReload(t *testing.T) {
	k := keysForTest(t)
	dir, _ := tempKeyDir()
	k2, err := LoadKeys(dir, TestParams)
	if err != nil {
		t.Fatal(err)
	}
	slot := randomSlot(t, 7*TestParams.CellSize, 41)
	tree := mustCommit(t, slot, TestParams)
	var ch fr.Element
	ch.SetUint64(12345)
	proof, err := NewProver(k2).Prove(context.Background(), slot, tree, ch)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(k.VK, PublicInputs{Root: tree.Root(), Challenge: ch}, proof); err != nil {
		t.Fatal(err)
	}
}
