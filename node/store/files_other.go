//go:build !linux

package store

import "errors"

const oDirect = 0

var errInvalid = errors.New("invalid argument")
