package prover

// devSetup is gnark's groth16/bn254 Setup (Apache-2.0, Consensys Software
// Inc.), specialized to circuits without commitments, with the toxic waste
// derived from a public beacon string instead of crypto/rand. It exists
// because gnark's mpcsetup.Phase2.Initialize, run with zero contributions,
// gives equally deterministic keys but spends minutes single-threaded on the
// devnet circuit (see docs/proofs.md). The keys are INSECURE: anyone can
// recompute the toxic waste from the beacon.

import (
	"crypto/sha256"
	"errors"
	"math/big"
	"math/bits"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/fft"
	cmpc "github.com/consensys/gnark-crypto/ecc/bn254/mpcsetup"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/constraint"
	csbn254 "github.com/consensys/gnark/constraint/bn254"
)

type toxicWaste struct {
	t, alpha, beta, gamma, delta fr.Element
	gammaInv, deltaInv           fr.Element
}

// beaconToxicWaste derives the five setup secrets from beacon with
// gnark-crypto's beacon derivation (the one mpcsetup's Seal uses).
func beaconToxicWaste(beacon []byte) toxicWaste {
	h := sha256.Sum256(beacon)
	c := cmpc.BeaconContributions(h[:], []byte("dstore devnet groth16 setup"), beacon, 5)
	tw := toxicWaste{t: c[0], alpha: c[1], beta: c[2], gamma: c[3], delta: c[4]}
	tw.gammaInv.Inverse(&tw.gamma)
	tw.deltaInv.Inverse(&tw.delta)
	return tw
}

func devSetup(r1cs *csbn254.R1CS, beacon []byte) (*groth16bn254.ProvingKey, *groth16bn254.VerifyingKey, error) {
	var pk groth16bn254.ProvingKey
	var vk groth16bn254.VerifyingKey
	if len(r1cs.CommitmentInfo.(constraint.Groth16Commitments)) != 0 {
		return nil, nil, errors.New("prover: dev setup does not support commitments")
	}
	nbWires := r1cs.NbInternalVariables + r1cs.GetNbPublicVariables() + r1cs.GetNbSecretVariables()
	nbPublicWires := r1cs.GetNbPublicVariables()
	nbPrivateWires := r1cs.GetNbSecretVariables() + r1cs.NbInternalVariables
	domain := fft.NewDomain(uint64(r1cs.GetNbConstraints()))
	tw := beaconToxicWaste(beacon)
	for _, e := range []*fr.Element{&tw.t, &tw.alpha, &tw.beta, &tw.gamma, &tw.delta} {
		if e.IsZero() {
			return nil, nil, errors.New("prover: zero toxic waste") // probability 2^-254
		}
	}

	A, B, C := setupABC(r1cs, domain, tw)
	_, _, g1, g2 := curve.Generators()

	pkK := make([]fr.Element, nbPrivateWires)
	vkK := make([]fr.Element, nbPublicWires)
	var t0, t1 fr.Element
	for i := range A {
		t1.Mul(&A[i], &tw.beta)
		t0.Mul(&B[i], &tw.alpha)
		t1.Add(&t1, &t0).Add(&t1, &C[i])
		if i < nbPublicWires {
			vkK[i].Mul(&t1, &tw.gammaInv)
		} else {
			pkK[i-nbPublicWires].Mul(&t1, &tw.deltaInv)
		}
	}

	Z := make([]fr.Element, domain.Cardinality)
	one := fr.One()
	var zdt fr.Element
	zdt.Exp(tw.t, new(big.Int).SetUint64(domain.Cardinality)).Sub(&zdt, &one).Mul(&zdt, &tw.deltaInv)
	for i := range Z {
		Z[i] = zdt
		zdt.Mul(&zdt, &tw.t)
	}

	pk.InfinityA = make([]bool, len(A))
	pk.InfinityB = make([]bool, len(B))
	n := 0
	for i, e := range A {
		if e.IsZero() {
			pk.InfinityA[i] = true
			continue
		}
		A[n] = A[i]
		n++
	}
	A = A[:n]
	pk.NbInfinityA = uint64(nbWires - n)
	n = 0
	for i, e := range B {
		if e.IsZero() {
			pk.InfinityB[i] = true
			continue
		}
		B[n] = B[i]
		n++
	}
	B = B[:n]
	pk.NbInfinityB = uint64(nbWires - n)

	g1Scalars := make([]fr.Element, 0, 3+len(A)+len(B)+len(Z)+len(vkK)+len(pkK))
	g1Scalars = append(g1Scalars, tw.alpha, tw.beta, tw.delta)
	g1Scalars = append(g1Scalars, A...)
	g1Scalars = append(g1Scalars, B...)
	g1Scalars = append(g1Scalars, Z...)
	g1Scalars = append(g1Scalars, vkK...)
	g1Scalars = append(g1Scalars, pkK...)
	g1Aff := curve.BatchScalarMultiplicationG1(&g1, g1Scalars)

	pk.G1.Alpha, pk.G1.Beta, pk.G1.Delta = g1Aff[0], g1Aff[1], g1Aff[2]
	off := 3
	pk.G1.A = g1Aff[off : off+len(A)]
	off += len(A)
	pk.G1.B = g1Aff[off : off+len(B)]
	off += len(B)
	bitReverse(g1Aff[off : off+int(domain.Cardinality)])
	pk.G1.Z = g1Aff[off : off+int(domain.Cardinality)-1]
	off += int(domain.Cardinality)
	vk.G1.K = g1Aff[off : off+nbPublicWires]
	off += nbPublicWires
	pk.G1.K = g1Aff[off : off+nbPrivateWires]
	vk.PublicAndCommitmentCommitted = [][]int{}

	g2Scalars := append(B, tw.beta, tw.delta, tw.gamma)
	g2Aff := curve.BatchScalarMultiplicationG2(&g2, g2Scalars)
	pk.G2.B = g2Aff[:len(B)]
	pk.G2.Beta = g2Aff[len(B)]
	pk.G2.Delta = g2Aff[len(B)+1]
	vk.G2.Delta = g2Aff[len(B)+1]
	vk.G2.Gamma = g2Aff[len(B)+2]

	vk.G1.Alpha = pk.G1.Alpha
	vk.G2.Beta = pk.G2.Beta
	vk.G1.Beta = pk.G1.Beta
	vk.G1.Delta = pk.G1.Delta
	if err := vk.Precompute(); err != nil {
		return nil, nil, err
	}
	pk.Domain = *domain
	return &pk, &vk, nil
}

func setupABC(r1cs *csbn254.R1CS, domain *fft.Domain, tw toxicWaste) (A, B, C []fr.Element) {
	nbWires := r1cs.NbInternalVariables + r1cs.GetNbPublicVariables() + r1cs.GetNbSecretVariables()
	A = make([]fr.Element, nbWires)
	B = make([]fr.Element, nbWires)
	C = make([]fr.Element, nbWires)
	one := fr.One()
	w := domain.Generator
	wi := fr.One()
	t := make([]fr.Element, r1cs.GetNbConstraints()+1)
	for i := range t {
		t[i].Sub(&tw.t, &wi)
		wi.Mul(&wi, &w)
	}
	tInv := fr.BatchInvert(t)
	// L0 = 1/n * (t^n - 1)/(t - 1); L_{i+1} = w * L_i * (t - w^i)/(t - w^{i+1})
	var L fr.Element
	L.Exp(tw.t, new(big.Int).SetUint64(domain.Cardinality)).Sub(&L, &one)
	L.Mul(&L, &tInv[0]).Mul(&L, &domain.CardinalityInv)

	accumulate := func(res *fr.Element, t constraint.Term, value *fr.Element) {
		switch cID := t.CoeffID(); cID {
		case constraint.CoeffIdZero:
		case constraint.CoeffIdOne:
			res.Add(res, value)
		case constraint.CoeffIdMinusOne:
			res.Sub(res, value)
		case constraint.CoeffIdTwo:
			var b fr.Element
			b.Double(value)
			res.Add(res, &b)
		default:
			var b fr.Element
			b.Mul(&r1cs.Coefficients[cID], value)
			res.Add(res, &b)
		}
	}
	j := 0
	it := r1cs.GetR1CIterator()
	for c := it.Next(); c != nil; c = it.Next() {
		for _, t := range c.L {
			accumulate(&A[t.WireID()], t, &L)
		}
		for _, t := range c.R {
			accumulate(&B[t.WireID()], t, &L)
		}
		for _, t := range c.O {
			accumulate(&C[t.WireID()], t, &L)
		}
		L.Mul(&L, &w).Mul(&L, &t[j]).Mul(&L, &tInv[j+1])
		j++
	}
	return A, B, C
}

func bitReverse(a []curve.G1Affine) {
	n := uint(len(a))
	nn := uint(bits.UintSize - bits.TrailingZeros(n))
	for i := uint(0); i < n; i++ {
		irev := bits.Reverse(i) >> nn
		if irev > i {
			a[i], a[irev] = a[irev], a[i]
		}
	}
}
