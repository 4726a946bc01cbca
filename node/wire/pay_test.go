package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"
)

func testOffer() Offer {
	return Offer{Node: testNode, Payee: [20]byte{1}, ChainID: 1337, Escrow: [20]byte{2}, Price: 10, FastPrice: 15,
		FastTTFBMicros: 50_000, FreeBytes: 1 << 20, Step: 4 << 20, Expiry: 1_900_000_000, Sig: bytes.Repeat([]byte{3}, sigSize)}
}

func testReceipt() Receipt {
	return Receipt{Client: [20]byte{4}, Node: [20]byte{1}, Session: [32]byte{5}, Bytes: 3 << 20, Price: 15,
		Amount: big.NewInt(31_457_280), TTFBMicros: 12_345, Sig: bytes.Repeat([]byte{6}, sigSize)}
}

func TestOfferAndReceiptRoundTrip(t *testing.T) {
	o, err := DecodeOffer(EncodeOffer(testOffer()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(EncodeOffer(o), EncodeOffer(testOffer())) || o.Node != testNode || o.Price != 10 {
		t.Fatalf("offer changed: %+v", o)
	}
	r, err := DecodeReceipt(EncodeReceipt(testReceipt()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Amount.Cmp(testReceipt().Amount) != 0 || r.Bytes != 3<<20 || r.Session != testReceipt().Session {
		t.Fatalf("receipt changed: %+v", r)
	}
}

func TestOfferAndReceiptRejects(t *testing.T) {
	good := EncodeReceipt(testReceipt())
	huge := testReceipt()
	huge.Amount = new(big.Int).Lsh(big.NewInt(1), 256) // 33 bytes
	for _, tt := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"bad version", append([]byte{9}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing", append(append([]byte(nil), good...), 0)},
		{"amount above 256 bits", EncodeReceipt(huge)},
		{"too large", make([]byte, MaxReceiptSize+1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeReceipt(tt.b); !errors.Is(err, ErrProtocol) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("accepted or wrong error: %v", err)
			}
		})
	}
	offer := EncodeOffer(testOffer())
	if _, err := DecodeOffer(offer[:len(offer)-2]); !errors.Is(err, ErrProtocol) {
		t.Fatalf("truncated offer: %v", err)
	}
}

// TestReceiptDigest pins the digest (the contract's receiptDigest, checked on the EVM in
// chain's escrow test) so that a change to its encoding cannot pass unnoticed.
func TestReceiptDigest(t *testing.T) {
	d := testReceipt().Digest(1337, [20]byte{2})
	if got := hex.EncodeToString(receiptDomain[:]); got != "0d35206d9306097e4d04673621ea9e4c8c2d86d4303405d910d6483539391a4e" {
		t.Fatalf("receipt domain %s", got)
	}
	other := testReceipt()
	other.Bytes++
	if other.Digest(1337, [20]byte{2}) == d || testReceipt().Digest(1, [20]byte{2}) == d {
		t.Fatal("the digest does not cover every field")
	}
}

func FuzzDecodeOffer(f *testing.F) {
	f.Add(EncodeOffer(testOffer()))
	f.Add([]byte{1, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := DecodeOffer(b)
		if err != nil {
			return
		}
		if len(o.Sig) != sigSize || o.Step > 1<<40 || !bytes.Equal(EncodeOffer(o), b) {
			t.Fatalf("out-of-bound or non-canonical offer accepted: %+v", o)
		}
	})
}

func FuzzDecodeReceipt(f *testing.F) {
	f.Add(EncodeReceipt(testReceipt()))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReceipt(b)
		if err != nil {
			return
		}
		if len(r.Sig) != sigSize || r.Amount.BitLen() > 256 || !bytes.Equal(EncodeReceipt(r), b) {
			t.Fatalf("out-of-bound or non-canonical receipt accepted: %+v", r)
		}
	})
}
