// Package prover is dstore's proof of storage: Poseidon2 cell commitments
// over a slot (one shard of a file), the gnark Groth16 circuit that proves a
// provider still holds S randomly sampled cells of it, the keys (a
// deterministic devnet setup and a multi-party ceremony), proving,
// verification and the Solidity verifier the chain uses.
//
// The flow:
//
//	tree, _ := prover.Commit(ctx, slot, prover.DevnetParams)   // provider, in the background
//	_ = prover.VerifyOpening(p, root, size, i, cell, path)     // client spot checks the root
//	ch := prover.Challenge(entropy, requestID, slotIndex, provider)
//	proof, _ := prover.NewProver(keys).Prove(ctx, slot, tree, ch)
//	_ = prover.Verify(keys.VK, prover.PublicInputs{Root: tree.Root(), Challenge: ch}, proof)
//
// docs/proofs.md explains the design, the parameters and the security
// argument. The package imports neither node, chain nor retrieval.
package prover
