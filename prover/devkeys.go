package prover

import (
	"bytes"
	"fmt"
	"math/big"
	"regexp"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
)

// IsDevKey reports whether vk is the deterministic devnet setup's key of p (DevSetup), whose
// toxic waste anyone can recompute from a public string: proofs under it can be forged.
// It compares the key's alpha with the one the devnet beacon gives, without running the setup.
func IsDevKey(key *VerifyingKey, p Params) bool {
	vk := key.g
	tw := beaconToxicWaste(DevBeacon(p))
	_, _, g1, _ := curve.Generators()
	var alpha curve.G1Affine
	alpha.ScalarMultiplication(&g1, tw.alpha.BigInt(new(big.Int)))
	return alpha.Equal(&vk.G1.Alpha)
}

// solidityKeyConstant matches the key's points in gnark's Solidity verifier.
var solidityKeyConstant = regexp.MustCompile(`uint256 constant ((?:ALPHA|BETA_NEG|GAMMA_NEG|DELTA_NEG|CONSTANT|PUB_[0-9]+)_[XY](?:_[01])?) = ([0-9]+);`)

// VerifierConstants are the verifying key's numbers as the Solidity verifier of vk
// (ExportSolidity) embeds them: alpha, -beta, -gamma, -delta and the public input points,
// by constant name. A deployed verifier holds exactly these in its code (package chain
// checks that before a node or an auditor trusts it).
func VerifierConstants(key *VerifyingKey, p Params) (map[string]*big.Int, error) {
	vk := key.g
	var buf bytes.Buffer
	if err := ExportSolidity(&buf, key, p); err != nil {
		return nil, err
	}
	out := map[string]*big.Int{}
	for _, m := range solidityKeyConstant.FindAllSubmatch(buf.Bytes(), -1) {
		v, ok := new(big.Int).SetString(string(m[2]), 10)
		if !ok {
			return nil, fmt.Errorf("prover: verifier constant %s: %q is not a number", m[1], m[2])
		}
		out[string(m[1])] = v
	}
	// alpha (2), -beta, -gamma, -delta (4 each), the constant and one point per public input (2 each).
	if want := 2 + 3*4 + 2*(1+vk.NbPublicWitness()); len(out) != want {
		return nil, fmt.Errorf("prover: %d key constants in the Solidity verifier, want %d", len(out), want)
	}
	return out, nil
}
