package cli

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"

	"github.com/ethereum/go-ethereum/common"
	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/chain"
	"github.com/dstore-net/dstore/prover"
)

// insecureDevnetKeysFlag lets `chain deploy`, `node run` and `audit` use the public devnet
// Groth16 keys on a real chain.
var insecureDevnetKeysFlag = &ucli.BoolFlag{
	Name:  "insecure-devnet-keys",
	Usage: "on a real chain (chain ID other than 1337 and 31337), accept the public devnet Groth16 keys: anyone can forge proofs with them",
}

// errDevnetKeys is what a real chain says to the devnet keys.
func errDevnetKeys(id *big.Int) error {
	return fmt.Errorf("chain %s is not a devnet and these are the public devnet Groth16 keys, with which anyone can forge proofs: "+
		"use the keys of a ceremony (`dstore prover ceremony ... seal --keys DIR`, then --keys DIR), or pass --insecure-devnet-keys", id)
}

// checkVerifierKey checks, at the start of a node or an auditor, that the marketplace's verifier
// is the verifier of vk, and that a real chain does not run on the devnet keys (unless
// --insecure-devnet-keys). vk nil means the keys are not there yet: fine on a devnet (they
// will be its deterministic keys, those of the bundled verifier), refused on a real chain.
func checkVerifierKey(ctx context.Context, c *ucli.Context, m *chain.Market, vk *prover.VerifyingKey, p prover.Params, keyDir string) error {
	id, err := m.Backend().ChainID(ctx)
	if err != nil {
		return fmt.Errorf("chain id: %w", err)
	}
	devnet := chain.IsDevnet(id)
	if vk == nil {
		if devnet || c.Bool(insecureDevnetKeysFlag.Name) {
			return nil
		}
		return fmt.Errorf("chain %s is not a devnet and %s holds no verifying key for %s: "+
			"put the keys of a ceremony there (`dstore prover ceremony ... seal --keys DIR`) or pass --keys DIR", id, keyDir, p)
	}
	if !devnet && prover.IsDevKey(vk, p) && !c.Bool(insecureDevnetKeysFlag.Name) {
		return errDevnetKeys(id)
	}
	consts, err := prover.VerifierConstants(vk, p)
	if err != nil {
		return err
	}
	if err := m.CheckMarketVerifier(ctx, consts); err != nil {
		if errors.Is(err, chain.ErrVerifierMismatch) {
			v, _ := m.Verifier(ctx)
			return fmt.Errorf("the marketplace's verifier %s is not the verifier of the key in %s (%w): proofs made or checked here would not be the chain's", v, keyDir, err)
		}
		return err
	}
	return nil
}

// loadVerifyingKeyIfAny reads the verifying key of p from dir; nil if there is none yet.
func loadVerifyingKeyIfAny(dir string, p prover.Params) (*prover.VerifyingKey, error) {
	vk, err := prover.LoadVerifyingKey(dir, p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return vk, err
}

// checkDeployKeys is `chain deploy`'s check: on a real chain the bundled verifier (the devnet
// key's) is refused unless --insecure-devnet-keys; a --verifier given must be the verifier of
// the key in --keys, and that key not the devnet's.
func checkDeployKeys(ctx context.Context, c *ucli.Context, b chain.Backend, verifier common.Address) error {
	id, err := b.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("chain id: %w", err)
	}
	insecure := c.Bool(insecureDevnetKeysFlag.Name)
	if verifier == (common.Address{}) {
		if !chain.IsDevnet(id) && !insecure {
			return fmt.Errorf("chain %s is not a devnet and the bundled verifier is the public devnet key's, with which anyone can forge proofs: "+
				"deploy the verifier of a ceremony's keys (`dstore prover export-solidity --keys DIR`, compiled with solc) and pass --verifier ADDR --keys DIR, or pass --insecure-devnet-keys", id)
		}
		return nil
	}
	dir := keyDirFlag(c)
	vk, err := prover.LoadVerifyingKey(dir, prover.DevnetParams)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--verifier %s: no verifying key for %s in %s to check it against (pass --keys DIR)", verifier, prover.DevnetParams, dir)
	}
	if err != nil {
		return err
	}
	if !chain.IsDevnet(id) && prover.IsDevKey(vk, prover.DevnetParams) && !insecure {
		return errDevnetKeys(id)
	}
	consts, err := prover.VerifierConstants(vk, prover.DevnetParams)
	if err != nil {
		return err
	}
	if err := chain.CheckVerifier(ctx, b, verifier, consts); err != nil {
		return fmt.Errorf("--verifier %s is not the verifier of the key in %s: %w", verifier, dir, err)
	}
	return nil
}

func keyDirFlag(c *ucli.Context) string {
	if d := c.String("keys"); d != "" {
		return d
	}
	return prover.KeyDir()
}
