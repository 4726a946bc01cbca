package config_test

import (
	"fmt"

	"github.com/dstore-net/dstore/cli/config"
)

// A node's setting is looked up in its command's section, then in shorter ones.
func ExampleFile_Lookup() {
	f, err := config.Parse("config.yaml", []byte("node:\n  max-storage: 500GiB\n  listen: [/ip4/0.0.0.0/tcp/4001]\n"))
	if err != nil {
		panic(err)
	}
	v, ok := f.Lookup("node", "max-storage")
	fmt.Println(v, ok, v.Where)
	v, _ = f.Lookup("node", "listen")
	fmt.Println(v.Strings, v.List)
	// Output:
	// 500GiB true config.yaml:2
	// [/ip4/0.0.0.0/tcp/4001] true
}
