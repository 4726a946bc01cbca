package node

import (
	"context"
	"time"

	"github.com/ipfs/go-cid"
)

// provide announces root on the DHT in the background.
func (n *Node) provide(root cid.Cid) {
	if !n.track() {
		return
	}
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(n.ctx, 30*time.Second)
		defer cancel()
		if err := n.dht.Provide(ctx, root, true); err != nil && n.ctx.Err() == nil {
			n.log.Debug("announcing a root", "root", root, "err", err)
		}
	}()
}
