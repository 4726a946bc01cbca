package chain

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// EndpointFile is the name of the endpoint file in a dstore home directory.
const EndpointFile = "chain.json"

// Endpoint is how to reach a deployed marketplace: the JSON-RPC URL and the
// deployment. `dstore chain deploy` and the devnet write it to HOME/chain.json;
// nodes, clients and auditors read it.
type Endpoint struct {
	RPC string `json:"rpc"`
	Deployment
}

// ReadEndpoint reads an endpoint file.
func ReadEndpoint(path string) (Endpoint, error) {
	var e Endpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return e, fmt.Errorf("read chain endpoint: %w", err)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, path, err)
	}
	if e.RPC == "" || e.Marketplace == ([20]byte{}) {
		return e, fmt.Errorf("%w: %s: no rpc or marketplace address", ErrInvalidConfig, path)
	}
	return e, nil
}

// Write writes the endpoint file atomically.
func (e Endpoint) Write(path string) error {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
