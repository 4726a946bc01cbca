package cli

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/dstore-net/dstore/prover"
)

// ProverCommands returns `dstore prover` with its subcommands: setup, bench,
// export-solidity and ceremony (init, contribute, verify, seal).
func ProverCommands() []*ucli.Command {
	return []*ucli.Command{{
		Name:  "prover",
		Usage: "proof-of-storage keys, benchmarks, ceremony and Solidity verifier",
		Subcommands: []*ucli.Command{
			proverSetupCommand(),
			proverBenchCommand(),
			proverExportSolidityCommand(),
			proverCeremonyCommand(),
		},
	}}
}

func paramFlags() []ucli.Flag {
	d := prover.DevnetParams
	return []ucli.Flag{
		&ucli.IntFlag{Name: "samples", Usage: "cells opened per proof (S)", Value: d.Samples},
		&ucli.IntFlag{Name: "depth", Usage: "Merkle tree depth (slot holds at most 2^depth cells)", Value: d.MaxDepth},
		&ucli.IntFlag{Name: "cell-size", Usage: "bytes per cell", Value: d.CellSize},
		&ucli.StringFlag{Name: "keys", Usage: "key directory", EnvVars: []string{"DSTORE_KEYS"}, Value: prover.KeyDir()},
	}
}

func paramsFrom(c *ucli.Context) (prover.Params, error) {
	p := prover.Params{Samples: c.Int("samples"), MaxDepth: c.Int("depth"), CellSize: c.Int("cell-size")}
	if err := p.Validate(); err != nil {
		return p, usagef("%v", err)
	}
	return p, nil
}

func proverSetupCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "setup",
		Usage: "compile the circuit and derive its devnet keys (deterministic, INSECURE), cached in --keys",
		Flags: paramFlags(),
		Action: func(c *ucli.Context) error {
			p, err := paramsFrom(c)
			if err != nil {
				return err
			}
			k, err := prover.LoadOrSetup(c.Context, p, prover.WithKeyDir(c.String("keys")))
			if err != nil {
				return err
			}
			_, pk, vk := prover.KeyFiles(c.String("keys"), p)
			fmt.Fprintf(c.App.Writer, "%s: %d constraints\nproving key   %s\nverifying key %s\n", p, k.Constraints(), pk, vk)
			return nil
		},
	}
}

func proverBenchCommand() *ucli.Command {
	flags := paramFlags()[1:] // --samples is a list here
	flags = append(flags,
		&ucli.IntSliceFlag{Name: "samples", Usage: "S values to measure (repeat the flag)", Value: ucli.NewIntSlice(10, 20, 40)},
		&ucli.Int64Flag{Name: "slot-size", Usage: "bytes of the random slot proved", Value: 16 << 20},
		&ucli.IntFlag{Name: "rounds", Usage: "proofs per S (median reported)", Value: 3},
		&ucli.BoolFlag{Name: "json", Usage: "machine-readable output"},
	)
	return &ucli.Command{
		Name:  "bench",
		Usage: "constraints, prove/verify time, sizes and memory per S, and commitment throughput",
		Flags: flags,
		Action: func(c *ucli.Context) error {
			out := struct {
				Circuits   []prover.BenchResult    `json:"circuits"`
				Throughput prover.ThroughputResult `json:"commitment"`
			}{}
			for _, s := range c.IntSlice("samples") {
				p := prover.Params{Samples: s, MaxDepth: c.Int("depth"), CellSize: c.Int("cell-size")}
				if err := p.Validate(); err != nil {
					return usagef("%v", err)
				}
				r, err := prover.Bench(c.Context, p, c.Int64("slot-size"), c.Int("rounds"), prover.WithKeyDir(c.String("keys")))
				if err != nil {
					return err
				}
				out.Circuits = append(out.Circuits, r)
				if !wantJSON(c) {
					fmt.Fprintln(c.App.Writer, r)
				}
			}
			p := prover.Params{Samples: 1, MaxDepth: c.Int("depth"), CellSize: c.Int("cell-size")}
			t, err := prover.Throughput(c.Context, p, c.Int64("slot-size"))
			if err != nil {
				return err
			}
			out.Throughput = t
			if wantJSON(c) {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			fmt.Fprintln(c.App.Writer, t)
			return nil
		},
	}
}

func proverExportSolidityCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "export-solidity",
		Usage: "write the Groth16 Solidity verifier of the keys (default: chain/contracts/Groth16Verifier.sol's source, to stdout)",
		Flags: append(paramFlags(), &ucli.StringFlag{Name: "out", Usage: "output file (default stdout)"}),
		Action: func(c *ucli.Context) error {
			p, err := paramsFrom(c)
			if err != nil {
				return err
			}
			k, err := prover.LoadOrSetup(c.Context, p, prover.WithKeyDir(c.String("keys")))
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := prover.ExportSolidity(&buf, k.VK, p); err != nil {
				return err
			}
			if out := c.String("out"); out != "" {
				return os.WriteFile(out, buf.Bytes(), 0o644)
			}
			_, err = c.App.Writer.Write(buf.Bytes())
			return err
		},
	}
}

func proverCeremonyCommand() *ucli.Command {
	ceremony := func(c *ucli.Context) (*prover.Ceremony, error) {
		p, err := paramsFrom(c)
		if err != nil {
			return nil, err
		}
		return prover.NewCeremony(p)
	}
	openAll := func(paths []string) ([]io.Reader, func(), error) {
		var rs []io.Reader
		var fs []*os.File
		closeAll := func() {
			for _, f := range fs {
				f.Close()
			}
		}
		for _, path := range paths {
			f, err := os.Open(path)
			if err != nil {
				closeAll()
				return nil, nil, err
			}
			fs = append(fs, f)
			rs = append(rs, f)
		}
		return rs, closeAll, nil
	}
	return &ucli.Command{
		Name:  "ceremony",
		Usage: "multi-party Groth16 setup (gnark mpcsetup): init, contribute, verify (phase 1), seal (phase 2, writes keys)",
		Subcommands: []*ucli.Command{
			{
				Name:  "init",
				Usage: "write the empty phase 1 transcript",
				Flags: append(paramFlags(), &ucli.StringFlag{Name: "out", Required: true}),
				Action: func(c *ucli.Context) error {
					cer, err := ceremony(c)
					if err != nil {
						return err
					}
					return writeWith(c.String("out"), cer.InitPhase1)
				},
			},
			{
				Name:  "contribute",
				Usage: "add your randomness to the last transcript file (then destroy nothing: it is never stored)",
				Flags: []ucli.Flag{
					&ucli.IntFlag{Name: "phase", Value: 1, Usage: "1 or 2"},
					&ucli.StringFlag{Name: "in", Required: true},
					&ucli.StringFlag{Name: "out", Required: true},
				},
				Action: func(c *ucli.Context) error {
					contribute := prover.ContributePhase1
					switch c.Int("phase") {
					case 1:
					case 2:
						contribute = prover.ContributePhase2
					default:
						return usagef("--phase must be 1 or 2")
					}
					in, err := os.Open(c.String("in"))
					if err != nil {
						return err
					}
					defer in.Close()
					return writeWith(c.String("out"), func(w io.Writer) error { return contribute(in, w) })
				},
			},
			{
				Name:      "verify",
				Usage:     "verify the phase 1 contributions (in order), seal them with the beacon, write the SRS and the empty phase 2",
				ArgsUsage: "PHASE1_CONTRIBUTION...",
				Flags: append(paramFlags(),
					&ucli.StringFlag{Name: "beacon", Required: true, Usage: "public randomness fixed after the last contribution"},
					&ucli.StringFlag{Name: "srs-out", Required: true},
					&ucli.StringFlag{Name: "phase2-out", Required: true}),
				Action: func(c *ucli.Context) error {
					cer, err := ceremony(c)
					if err != nil {
						return err
					}
					rs, closeAll, err := openAll(c.Args().Slice())
					if err != nil {
						return err
					}
					defer closeAll()
					var srs, p2 bytes.Buffer
					if err := cer.SealPhase1([]byte(c.String("beacon")), rs, &srs, &p2); err != nil {
						return err
					}
					if err := os.WriteFile(c.String("srs-out"), srs.Bytes(), 0o644); err != nil {
						return err
					}
					return os.WriteFile(c.String("phase2-out"), p2.Bytes(), 0o644)
				},
			},
			{
				Name:      "seal",
				Usage:     "verify the phase 2 contributions against the SRS, seal with the beacon and write the keys to --keys",
				ArgsUsage: "PHASE2_CONTRIBUTION...",
				Flags: append(paramFlags(),
					&ucli.StringFlag{Name: "beacon", Required: true},
					&ucli.StringFlag{Name: "srs", Required: true}),
				Action: func(c *ucli.Context) error {
					cer, err := ceremony(c)
					if err != nil {
						return err
					}
					srs, err := os.Open(c.String("srs"))
					if err != nil {
						return err
					}
					defer srs.Close()
					rs, closeAll, err := openAll(c.Args().Slice())
					if err != nil {
						return err
					}
					defer closeAll()
					k, err := cer.Seal(srs, []byte(c.String("beacon")), rs)
					if err != nil {
						return err
					}
					if err := os.MkdirAll(c.String("keys"), 0o755); err != nil {
						return err
					}
					if err := k.Save(c.String("keys")); err != nil {
						return err
					}
					fmt.Fprintf(c.App.Writer, "ceremony verified; keys for %s written to %s\n", k.Params, c.String("keys"))
					return nil
				},
			},
		},
	}
}

// VerifyCommand returns `dstore verify`: an auditor checks a proof file
// against its public inputs. Exit 0 when it verifies, 1 when it does not.
func VerifyCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "verify",
		Usage: "check a proof (256 bytes, binary or hex) against its public inputs; exit 0 valid, 1 invalid",
		Flags: append(paramFlags(),
			&ucli.StringFlag{Name: "proof", Required: true, Usage: "proof file"},
			&ucli.StringFlag{Name: "public", Usage: "public inputs file (64 bytes: root || challenge, binary or hex)"},
			&ucli.StringFlag{Name: "root", Usage: "slot root, 32-byte hex (instead of --public)"},
			&ucli.StringFlag{Name: "challenge", Usage: "challenge, 32-byte hex (instead of --public)"},
			&ucli.StringFlag{Name: "vk", Usage: "verifying key file (default: the cached key of the parameters)"},
			&ucli.BoolFlag{Name: "json", Usage: "machine-readable output"},
		),
		Action: func(c *ucli.Context) error {
			p, err := paramsFrom(c)
			if err != nil {
				return err
			}
			var pub prover.PublicInputs
			switch {
			case c.String("public") != "":
				b, err := readHexOrBinary(c.String("public"))
				if err != nil {
					return err
				}
				if err := pub.UnmarshalBinary(b); err != nil {
					return err
				}
			case c.String("root") != "" && c.String("challenge") != "":
				b, err := decodeHex(c.String("root") + strings.TrimPrefix(c.String("challenge"), "0x"))
				if err != nil {
					return usagef("--root/--challenge: %v", err)
				}
				if err := pub.UnmarshalBinary(b); err != nil {
					return err
				}
			default:
				return usagef("give --public FILE or both --root and --challenge")
			}
			pb, err := readHexOrBinary(c.String("proof"))
			if err != nil {
				return err
			}
			var proof prover.Proof
			if err := proof.UnmarshalBinary(pb); err != nil {
				return err
			}
			vk, vkErr := loadVK(c, p)
			if vkErr != nil {
				return vkErr
			}
			verr := prover.Verify(vk, pub, &proof)
			if wantJSON(c) {
				json.NewEncoder(c.App.Writer).Encode(map[string]any{"valid": verr == nil, "params": p.String()})
			} else if verr == nil {
				fmt.Fprintln(c.App.Writer, "valid")
			}
			if verr != nil {
				return fmt.Errorf("the proof does not verify against these public inputs: %w", verr)
			}
			return nil
		},
	}
}

func loadVK(c *ucli.Context, p prover.Params) (*prover.VerifyingKey, error) {
	if path := c.String("vk"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return prover.ReadVerifyingKey(f)
	}
	vk, err := prover.LoadVerifyingKey(c.String("keys"), p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no verifying key for %s in %s: run `dstore prover setup` or pass --vk", p, c.String("keys"))
	}
	return vk, err
}

func readHexOrBinary(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(string(b)); len(s) > 0 && isHex(strings.TrimPrefix(s, "0x")) {
		return decodeHex(s)
	}
	return b, nil
}

func decodeHex(s string) ([]byte, error) { return hex.DecodeString(strings.TrimPrefix(s, "0x")) }

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return len(s)%2 == 0
}

func writeWith(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
