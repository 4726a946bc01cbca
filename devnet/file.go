package devnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// File is DIR/devnet.json: what a client needs to reach a local network.
type File struct {
	Nodes []Node `json:"nodes"`
	K     int    `json:"k"`
	M     int    `json:"m"`
	// The embedded chain, absent when the devnet runs without one.
	Chain       string `json:"chain,omitempty"` // path of chain.json
	RPC         string `json:"rpc,omitempty"`
	Marketplace string `json:"marketplace,omitempty"`
	Escrow      string `json:"escrow,omitempty"`      // the retrieval escrow
	ClientKey   string `json:"client_key,omitempty"`  // a funded account for put
	AuditorKey  string `json:"auditor_key,omitempty"` // a funded account for audit
	// Gateway is the URL of the devnet's HTTP gateway (dstore gateway), absent without one.
	Gateway string `json:"gateway,omitempty"`
}

type Node struct {
	Index  int      `json:"index"`
	PeerID string   `json:"peer_id"`
	Addrs  []string `json:"addrs"`
	PID    int      `json:"pid"`
	Repo   string   `json:"repo"`
	// Metrics is where the node serves its Prometheus metrics (with the chain only).
	Metrics string `json:"metrics,omitempty"`
	// Netns describes the node's network namespace (devnet --netns).
	Netns *Netns `json:"netns,omitempty"`
}

// Netns is a node's place in a devnet --netns topology.
type Netns struct {
	Namespace string `json:"namespace"`
	Addr      string `json:"addr"`  // the namespace's outer address, where its relay listens
	Delay     string `json:"delay"` // one-way, added in each direction
	Rate      int64  `json:"rate_bits_per_second,omitempty"`
	// DelayFile holds the relay's delay: writing a new duration to it ("200ms") slows the node
	// while it runs.
	DelayFile string `json:"delay_file"`
}

const FileName = "devnet.json"

// ReadFile reads HOME/devnet.json, written by a running devnet.
func ReadFile(home string) (*File, error) {
	b, err := os.ReadFile(filepath.Join(home, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no network known in %s: start one with `dstore devnet --home %s` or pass --bootstrap", home, home)
	}
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s is not a valid devnet file: %w", filepath.Join(home, FileName), err)
	}
	return &f, nil
}

// writeFile writes f to HOME/devnet.json.
func writeFile(home string, f *File) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(home, FileName+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(home, FileName))
}

// addrInfos returns the nodes of the devnet as libp2p address infos.
func (f *File) AddrInfos() ([]peer.AddrInfo, error) {
	var out []peer.AddrInfo
	for _, n := range f.Nodes {
		var addrs []ma.Multiaddr
		for _, a := range n.Addrs {
			if m, err := ma.NewMultiaddr(a); err == nil {
				addrs = append(addrs, m)
			}
		}
		infos, err := peer.AddrInfosFromP2pAddrs(addrs...)
		if err != nil {
			return nil, fmt.Errorf("devnet node %d: %w", n.Index, err)
		}
		out = append(out, infos...)
	}
	return out, nil
}
