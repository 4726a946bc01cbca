package devnet

import "errors"

// ErrInvalidConfig reports a Config or DemoConfig that cannot work; the message says what is wrong.
var ErrInvalidConfig = errors.New("devnet: invalid configuration")
