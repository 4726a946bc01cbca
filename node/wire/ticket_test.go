package wire

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

var (
	testNode, _     = peer.Decode("12D3KooWGE3EpFgoPkxKWHKa8AqnSgGfHjSpdK3vGo65TQ5sxSoB")
	testUploader, _ = peer.Decode("12D3KooWLfJLSM6zqqUnnfHuFzUVXa3djhkEMBSNfjGr5ffzJBUK")
	testManifest    = cid.MustParse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
)

func testTicket() Ticket {
	return Ticket{Account: [20]byte{1, 2, 3}, Root: testRoot, Manifest: testManifest, Shard: 5, Node: testNode,
		Uploader: testUploader, Size: 1 << 30, Expiry: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), Sig: bytes.Repeat([]byte{9}, 65)}
}

func TestTicketRoundTrip(t *testing.T) {
	tk := testTicket()
	b := EncodeTicket(tk)
	got, err := DecodeTicket(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(EncodeTicket(got), b) || !got.Root.Equals(tk.Root) || got.Node != tk.Node || got.Account != tk.Account {
		t.Fatalf("got %+v, want %+v", got, tk)
	}
	// Every field is signed: changing any changes the signed bytes.
	for name, change := range map[string]func(*Ticket){
		"account":  func(t *Ticket) { t.Account[0]++ },
		"root":     func(t *Ticket) { t.Root = testManifest },
		"manifest": func(t *Ticket) { t.Manifest = testRoot },
		"shard":    func(t *Ticket) { t.Shard++ },
		"node":     func(t *Ticket) { t.Node = testUploader },
		"uploader": func(t *Ticket) { t.Uploader = testNode },
		"size":     func(t *Ticket) { t.Size++ },
		"expiry":   func(t *Ticket) { t.Expiry++ },
	} {
		x := tk
		change(&x)
		if bytes.Equal(x.SigningBytes(), tk.SigningBytes()) {
			t.Errorf("%s is not signed", name)
		}
	}
}

func TestTicketRejects(t *testing.T) {
	good := EncodeTicket(testTicket())
	short := testTicket()
	short.Sig = short.Sig[:64]
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"bad version", append([]byte{2}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
		{"short signature", EncodeTicket(short)},
		{"too large", make([]byte, MaxTicketSize+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeTicket(tt.b); !errors.Is(err, ErrProtocol) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func FuzzDecodeTicket(f *testing.F) {
	f.Add(EncodeTicket(testTicket()))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		tk, err := DecodeTicket(b)
		if err != nil {
			return
		}
		// What decodes encodes back to the same bytes: one encoding per ticket.
		if !bytes.Equal(EncodeTicket(tk), b) {
			t.Fatalf("re-encoding %x gives %x", b, EncodeTicket(tk))
		}
	})
}

func FuzzDecodeManifestList(f *testing.F) {
	f.Add(EncodeManifestList([]cid.Cid{testRoot, testManifest}))
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		cids, err := DecodeManifestList(b)
		if err != nil {
			return
		}
		if len(cids) > MaxManifestCIDs || !bytes.Equal(EncodeManifestList(cids), b) {
			t.Fatalf("%x decoded to %v", b, cids)
		}
	})
}
