package repair_test

import (
	"errors"
	"testing"

	"github.com/dstore-net/dstore/repair"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  repair.Config
	}{
		{"no market", repair.Config{}},
		{"negative margin", repair.Config{Margin: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); !errors.Is(err, repair.ErrInvalidConfig) {
				t.Fatalf("Validate() = %v, want ErrInvalidConfig", err)
			}
			if _, err := repair.New(tt.cfg); !errors.Is(err, repair.ErrInvalidConfig) {
				t.Fatalf("New() = %v, want ErrInvalidConfig", err)
			}
		})
	}
}
