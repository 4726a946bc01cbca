//go:build !linux

package cli

import (
	"errors"
	"os"
)

// setDirect reports that direct I/O is not available: files are written through the page cache.
func setDirect(*os.File, bool) error { return errors.ErrUnsupported }

func isEINVAL(error) bool { return false }
