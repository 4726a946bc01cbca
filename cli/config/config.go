// Package config reads dstore's configuration files: YAML (go.yaml.in/yaml/v3, behind this
// package only) whose top-level keys are the global flags and whose sections, named after
// commands, hold their flags:
//
//	log-level: info
//	node:
//	  max-storage: 500GiB
//	  listen: [/ip4/0.0.0.0/tcp/4001]
//	gateway:
//	  listen: 127.0.0.1:8080
//
// A flag F of the command `dstore node run` is looked up at node.run.F, then node.F, then F.
// Package cli applies the values under flags and DSTORE_* environment variables: a flag given
// wins over its environment variable, which wins over the file, which wins over the default.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileName is the configuration file's name in a client's HOME and in a node's repo.
const FileName = "config.yaml"

// Value is one setting of a file: its text (one element per list item) and where it is.
type Value struct {
	Strings []string
	List    bool   // given as a list
	Where   string // PATH:LINE
}

// String is the value as a flag would take it.
func (v Value) String() string { return strings.Join(v.Strings, ",") }

// File is a parsed configuration file; the zero File (no file) holds nothing.
type File struct {
	Path string
	root *yaml.Node // the top-level mapping; nil without a file
}

// Load reads the file at path. A missing file is an empty File, not an error; a file that is not a
// mapping of settings is an error naming the line.
func Load(path string) (*File, error) {
	f := &File{Path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	return f, f.parse(b)
}

// Parse reads a file's content; path only names it in errors and sources.
func Parse(path string, b []byte) (*File, error) {
	f := &File{Path: path}
	return f, f.parse(b)
}

func (f *File) parse(b []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("config %s: %w", f.Path, err)
	}
	if len(doc.Content) == 0 { // empty, or comments only
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("config %s:%d: want settings as `name: value`", f.Path, root.Line)
	}
	if err := check(f.Path, root, 0); err != nil {
		return err
	}
	f.root = root
	return nil
}

// maxDepth bounds the sections: `node: run: flag:` is as deep as a file goes.
const maxDepth = 3

// check accepts scalars, lists of scalars and mappings (sections) up to maxDepth.
func check(path string, n *yaml.Node, depth int) error {
	if depth >= maxDepth {
		return fmt.Errorf("config %s:%d: sections nested too deep", path, n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return fmt.Errorf("config %s:%d: a setting's name must be a word", path, k.Line)
		}
		switch v.Kind {
		case yaml.ScalarNode:
		case yaml.SequenceNode:
			for _, e := range v.Content {
				if e.Kind != yaml.ScalarNode {
					return fmt.Errorf("config %s:%d: %s: a list holds plain values only", path, e.Line, k.Value)
				}
			}
		case yaml.MappingNode:
			if err := check(path, v, depth+1); err != nil {
				return err
			}
		default:
			return fmt.Errorf("config %s:%d: %s: want a value, a list or a section", path, v.Line, k.Value)
		}
	}
	return nil
}

// Lookup returns the value at the key path (sections, then the setting's name).
func (f *File) Lookup(path ...string) (Value, bool) {
	if f == nil || f.root == nil || len(path) == 0 {
		return Value{}, false
	}
	n := f.root
	for i, key := range path {
		if n.Kind != yaml.MappingNode {
			return Value{}, false
		}
		var next *yaml.Node
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == key {
				next = n.Content[j+1]
			}
		}
		if next == nil {
			return Value{}, false
		}
		if i < len(path)-1 {
			n = next
			continue
		}
		where := fmt.Sprintf("%s:%d", f.Path, next.Line)
		switch next.Kind {
		case yaml.ScalarNode:
			if next.Tag == "!!null" {
				return Value{}, false
			}
			return Value{Strings: []string{next.Value}, Where: where}, true
		case yaml.SequenceNode:
			v := Value{List: true, Where: where}
			for _, e := range next.Content {
				v.Strings = append(v.Strings, e.Value)
			}
			return v, true
		}
		return Value{}, false
	}
	return Value{}, false
}

// Keys lists the settings of the file as dotted key paths (sections first), for reporting
// settings no command knows.
func (f *File) Keys() []string {
	if f == nil || f.root == nil {
		return nil
	}
	var out []string
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case v.Kind == yaml.MappingNode:
				walk(v, prefix+k+".")
			case v.Tag != "!!null":
				out = append(out, prefix+k)
			}
		}
	}
	walk(f.root, "")
	return out
}

// Setting is one line of a commented default file.
type Setting struct {
	Name    string
	Default any // written as YAML
	Usage   string
}

// Section is the settings of one command (Path) in a default file; the global settings have no
// Path.
type Section struct {
	Path     []string
	Settings []Setting
}

// WriteDefault writes a commented default file: every setting commented out at its default, with
// its usage, so a user uncomments what to change. It refuses to overwrite an existing file.
func WriteDefault(path, header string, sections []Section) error {
	var b bytes.Buffer
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		fmt.Fprintf(&b, "# %s\n", l)
	}
	for _, s := range sections {
		indent := ""
		b.WriteString("\n")
		for i, p := range s.Path {
			fmt.Fprintf(&b, "%s%s:\n", indent, p)
			if i < len(s.Path)-1 {
				indent += "  "
			}
		}
		if len(s.Path) > 0 {
			indent += "  "
		}
		for _, st := range s.Settings {
			fmt.Fprintf(&b, "%s# %s\n", indent, st.Usage)
			d, err := yaml.Marshal(st.Default)
			if err != nil {
				return err
			}
			v := strings.TrimSpace(string(d))
			if l, ok := st.Default.([]string); ok && len(l) > 0 {
				v = "[" + strings.Join(l, ", ") + "]"
			}
			fmt.Fprintf(&b, "%s# %s: %s\n", indent, st.Name, v)
		}
	}
	// The default must parse: a file a user only uncomments lines of stays valid.
	if _, err := Parse(path, b.Bytes()); err != nil {
		return fmt.Errorf("the default configuration does not parse: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists already: edit it, or remove it to start again", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
