package chain

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/dstore-net/dstore/chain/bindings"
)

// FuzzDecodeLog feeds arbitrary logs (what a JSON-RPC endpoint may return) to the
// event decoder: it must never panic, and what it accepts must carry a known name.
func FuzzDecodeLog(f *testing.F) {
	c := bindings.NewMarketplace()
	a := c.GetABI()
	for _, ev := range a.Events {
		f.Add(ev.ID.Bytes(), []byte{}, make([]byte, 64))
		f.Add(ev.ID.Bytes(), make([]byte, 32), make([]byte, 320))
	}
	f.Add([]byte{1, 2, 3}, []byte{}, []byte{})
	m := &Market{addr: common.HexToAddress("0x01"), c: c, abi: a}
	f.Fuzz(func(t *testing.T, topic0, topic1, data []byte) {
		l := &types.Log{Address: m.addr, Data: data}
		if len(topic0) > 0 {
			l.Topics = append(l.Topics, common.BytesToHash(topic0))
		}
		for len(topic1) > 0 {
			n := min(32, len(topic1))
			l.Topics = append(l.Topics, common.BytesToHash(topic1[:n]))
			topic1 = topic1[n:]
		}
		ev, ok := m.decode(l)
		if ok && (ev.Name == "" || ev.Data == nil) {
			t.Fatalf("decoded an event without a name or data: %+v", ev)
		}
	})
}

// revertErr is a JSON-RPC error carrying revert data, as ethclient returns them.
type revertErr struct{ data string }

func (e revertErr) Error() string          { return "execution reverted" }
func (e revertErr) ErrorData() interface{} { return e.data }
func (e revertErr) ErrorCode() int         { return 3 }

var _ rpc.DataError = revertErr{}

// FuzzDecodeRevert feeds arbitrary revert data to the revert decoder.
func FuzzDecodeRevert(f *testing.F) {
	a := bindings.NewMarketplace().GetABI()
	for _, e := range a.Errors {
		f.Add(e.ID.Bytes()[:4])
		f.Add(append(e.ID.Bytes()[:4], make([]byte, 64)...))
	}
	f.Add([]byte{})
	f.Add([]byte{0x08, 0xc3, 0x79, 0xa0}) // Error(string)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := decodeRevert("m", revertErr{data: "0x" + hex.EncodeToString(data)}, &a)
		if err == nil {
			t.Fatal("nil error")
		}
		var re *RevertError
		if errors.As(err, &re) && re.Err == nil {
			t.Fatal("revert error without a sentinel")
		}
	})
}

func TestDecodeRevertNamesSentinels(t *testing.T) {
	a := bindings.NewMarketplace().GetABI()
	for name, e := range a.Errors {
		err := decodeRevert("m", revertErr{data: "0x" + hex.EncodeToString(e.ID.Bytes()[:4])}, &a)
		want, ok := contractErrors[name]
		if !ok {
			t.Errorf("contract error %s has no sentinel", name)
			continue
		}
		if name == "InvalidParams" || name == "InsufficientCollateral" || name == "WrongPayment" {
			continue // carry arguments; bare selectors do not unpack but still map
		}
		if !errors.Is(err, want) {
			t.Errorf("%s decoded as %v", name, err)
		}
	}
}

// FuzzRequestID: parsing never panics and round-trips what it accepts.
func FuzzRequestID(f *testing.F) {
	f.Add("0x" + hex.EncodeToString(make([]byte, 32)))
	f.Add("zz")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseRequestID(s)
		if err != nil {
			return
		}
		back, err := ParseRequestID(id.String())
		if err != nil || back != id {
			t.Fatalf("%q -> %s -> %v, %v", s, id, back, err)
		}
	})
}
