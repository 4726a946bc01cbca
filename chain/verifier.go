package chain

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/ethereum/go-ethereum/common"
)

// DevnetChainIDs are the chain IDs of development chains: the embedded chain's (1337, also
// geth --dev's) and anvil's and hardhat's (31337). Every other chain is real: it must not run
// on the public devnet Groth16 keys.
var DevnetChainIDs = []int64{1337, 31337}

// IsDevnet says whether a chain ID is a development chain's.
func IsDevnet(chainID *big.Int) bool {
	return chainID != nil && chainID.IsInt64() && slices.Contains(DevnetChainIDs, chainID.Int64())
}

// CheckVerifier checks that the contract at addr is the Groth16 verifier of a verifying key:
// that its code embeds every one of the key's constants (prover.VerifierConstants), each as
// the operand of a PUSH instruction. It returns ErrVerifierMismatch naming the first one
// missing otherwise.
func CheckVerifier(ctx context.Context, b Backend, addr common.Address, constants map[string]*big.Int) error {
	code, err := b.CodeAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("verifier code: %w", err)
	}
	if len(code) == 0 {
		return fmt.Errorf("%w: no contract at %s", ErrVerifierMismatch, addr)
	}
	pushed := pushOperands(code)
	names := make([]string, 0, len(constants))
	for n := range constants {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !pushed[string(constants[n].Bytes())] {
			return fmt.Errorf("%w: the verifier at %s does not hold the key's %s", ErrVerifierMismatch, addr, n)
		}
	}
	return nil
}

// CheckMarketVerifier is CheckVerifier on the verifier the marketplace checks proofs with.
func (m *Market) CheckMarketVerifier(ctx context.Context, constants map[string]*big.Int) error {
	v, err := m.Verifier(ctx)
	if err != nil {
		return err
	}
	return CheckVerifier(ctx, m.b, v, constants)
}

// pushOperands collects the operands of the PUSH1..PUSH32 instructions in EVM code, leading
// zero bytes trimmed (as big.Int.Bytes gives them).
func pushOperands(code []byte) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < len(code); i++ {
		op := code[i]
		if op < 0x60 || op > 0x7f {
			continue
		}
		n := int(op-0x60) + 1
		end := min(i+1+n, len(code))
		v := code[i+1 : end]
		for len(v) > 0 && v[0] == 0 {
			v = v[1:]
		}
		out[string(v)] = true
		i = end - 1
	}
	return out
}
