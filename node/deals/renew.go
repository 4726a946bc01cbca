package deals

import (
	"context"

	"github.com/dstore-net/dstore/chain"
)

// Renewer renews permanent deals (the Endowment contract's).
type Renewer interface {
	// RenewTerm renews the permanent deal whose term is the ended request id, settling it;
	// ok is false when id is not a permanent deal's term.
	RenewTerm(ctx context.Context, id chain.RequestID) (ok bool, err error)
}

// EndowmentRenewer renews the permanent deals of an Endowment, signing as the provider.
type EndowmentRenewer struct{ Endowment *chain.Endowment }

var _ Renewer = EndowmentRenewer{}

// RenewTerm implements Renewer. A term another renewed first is not an error; a term not over
// yet (ErrTermNotOver) is.
func (r EndowmentRenewer) RenewTerm(ctx context.Context, id chain.RequestID) (bool, error) {
	deal, ok, err := r.Endowment.DealOf(ctx, id)
	if err != nil || !ok {
		return false, err
	}
	d, err := r.Endowment.Deal(ctx, deal)
	if err != nil {
		return true, err
	}
	if d.Current != id || d.Exhausted { // renewed by another already
		return true, nil
	}
	_, _, _, err = r.Endowment.Renew(ctx, deal)
	return true, err
}

// renewed renews the permanent deal an ended request is a term of; false when the request is
// not one (or the renewal failed: it is then settled as any request).
func (s *Service) renewed(ctx context.Context, id chain.RequestID) bool {
	if s.cfg.Renewer == nil {
		return false
	}
	ok, err := s.cfg.Renewer.RenewTerm(ctx, id)
	if !ok {
		return false
	}
	if err != nil {
		s.log.Warn("renewing the permanent deal of an ended term", "request", id, "err", err)
		return false
	}
	s.log.Info("permanent deal renewed: its ended term is settled and the next offered", "request", id)
	s.finished(id)
	return true
}
