package prover

import (
	"encoding/binary"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"golang.org/x/crypto/sha3"
)

// Challenge computes the second public input of a proof, exactly as the
// contract does:
//
//	uint256(keccak256(abi.encode(bytes32 entropy, bytes32 requestId,
//	        uint256 slotIndex, address provider))) % r
//
// where r is the BN254 scalar field order. Because the circuit derives the
// sampled cells from this value, a proof is bound to one entropy, one
// request, one slot and one provider.
func Challenge(entropy, requestID [32]byte, slotIndex uint64, provider [20]byte) fr.Element {
	var buf [128]byte // abi.encode: four 32-byte words
	copy(buf[0:32], entropy[:])
	copy(buf[32:64], requestID[:])
	binary.BigEndian.PutUint64(buf[88:96], slotIndex)
	copy(buf[108:128], provider[:]) // address is right-aligned in its word
	h := sha3.NewLegacyKeccak256()
	h.Write(buf[:])
	var e fr.Element
	e.SetBytes(h.Sum(nil)) // reduces mod r
	return e
}
