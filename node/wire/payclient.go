package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// ErrNoOffer: the node does not speak ProtoOffer; its reads are free.
var ErrNoOffer = errors.New("the node publishes no retrieval offer")

// Payer pays a client's piece reads (retrieval's payments implement it).
type Payer interface {
	// Attach returns the encoded receipt to send with a read of n bytes from p (nil: none is due),
	// or an error that refuses the read (the node is too expensive, or its offer is invalid).
	Attach(ctx context.Context, p peer.ID, n int64) ([]byte, error)
	// Received records n bytes received from p, whose first came ttfb after the request.
	Received(p peer.ID, n int64, ttfb time.Duration)
}

func (c *Client) attach(ctx context.Context, p peer.ID, n int64) ([]byte, error) {
	if c.payer == nil {
		return nil, nil
	}
	return c.payer.Attach(ctx, p, n)
}

// GetOffer asks p for its signed retrieval offer. The caller checks the signature. A node that
// does not speak ProtoOffer (ErrNoOffer) serves reads free.
func (c *Client) GetOffer(ctx context.Context, p peer.ID) (Offer, error) {
	var o Offer
	err := c.exchange(ctx, p, ProtoOffer, Request{}, nil, MaxOfferSize, func(resp Response, r io.Reader) error {
		b, err := readPayload(resp, r)
		if err == nil {
			o, err = DecodeOffer(b)
		}
		return err
	})
	if errors.Is(err, ErrUnsupported) {
		return o, fmt.Errorf("node %s: %w", p, ErrNoOffer)
	}
	return o, err
}

// SendReceipt hands p a receipt on its own: the last one of a read.
func (c *Client) SendReceipt(ctx context.Context, p peer.ID, receipt []byte) error {
	if len(receipt) > MaxReceiptSize {
		return ErrTooLarge
	}
	return c.exchange(ctx, p, ProtoReceipt, Request{}, receipt, 0, func(Response, io.Reader) error { return nil })
}
