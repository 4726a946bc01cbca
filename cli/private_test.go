package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dstore-net/dstore/retrieval/crypt"
)

func TestPrivateFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts node processes")
	}
	_, home := startTestDevnet(t, 6)
	dir := t.TempDir()
	src, sum := writeFile(t, dir, "secret", 300<<10+17, 77)

	// Without a key, --encrypt says what to do.
	code, _, errOut := dstore(t, "--home", home, "put", "--encrypt", src)
	if code != 2 || !strings.Contains(errOut, "dstore key new") {
		t.Fatalf("put --encrypt without a key: exit %d: %s", code, errOut)
	}
	code, out, errOut := dstore(t, "--home", home, "key", "new")
	if code != 0 {
		t.Fatalf("key new: exit %d: %s", code, errOut)
	}
	me := strings.TrimSpace(out)
	if _, err := crypt.ParseRecipient(me); err != nil {
		t.Fatalf("key new printed %q: %v", me, err)
	}
	keyFile := filepath.Join(home, "keys", "default"+identityExt)
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("identity file: %v, %v", st, err)
	}
	if code, _, errOut := dstore(t, "--home", home, "key", "new"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("key new over an identity: exit %d: %s", code, errOut)
	}
	// Bob and Eve keep their identities elsewhere.
	bobHome, eveHome := t.TempDir(), t.TempDir()
	_, bob, _ := dstore(t, "--home", bobHome, "key", "new")
	dstore(t, "--home", eveHome, "key", "new")
	bobKey := filepath.Join(bobHome, "keys", "default"+identityExt)
	eveKey := filepath.Join(eveHome, "keys", "default"+identityExt)
	if code, out, _ := dstore(t, "--home", bobHome, "key", "list"); code != 0 || !strings.Contains(out, strings.TrimSpace(bob)) {
		t.Fatalf("key list: exit %d: %s", code, out)
	}

	code, out, errOut = dstore(t, "--home", home, "--quiet", "--json", "put", "--encrypt", "--recipient", strings.TrimSpace(bob), "--piece-size", "65536", src)
	if code != 0 {
		t.Fatalf("put --encrypt: exit %d: %s", code, errOut)
	}
	var res struct {
		Root      string `json:"root"`
		Size      int64  `json:"size"`
		Encrypted bool   `json:"encrypted"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Encrypted || res.Size <= 300<<10+17 {
		t.Fatalf("put --json: %v: %s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(home, ".dstore-sealed-*")); len(left) != 0 {
		t.Fatalf("put left its ciphertext behind: %v", left)
	}

	get := func(home string, flags ...string) (int, string, string) {
		dst := filepath.Join(dir, "out")
		os.Remove(dst)
		return dstore(t, append(append([]string{"--home", home, "--quiet", "get", "-o", dst}, flags...), res.Root)...)
	}
	dst := filepath.Join(dir, "out")
	// The owner reads it with the identity in HOME.
	if code, _, errOut := get(home); code != 0 || fileSum(t, dst) != sum {
		t.Fatalf("get: exit %d: %s", code, errOut)
	}
	// The second recipient, with --identity.
	if code, _, errOut := get(home, "--identity", bobKey); code != 0 || fileSum(t, dst) != sum {
		t.Fatalf("get --identity (second recipient): exit %d: %s", code, errOut)
	}
	// Ranges of the plaintext: across age's 64 KiB chunks, and the end.
	plainBytes, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	size := len(plainBytes)
	for _, r := range []struct {
		spec   string
		off, n int
	}{
		{"65530-65545", 65530, 16},
		{"0-0", 0, 1},
		{"-100", size - 100, 100},
		{"262000-", 262000, size - 262000},
	} {
		code, out, errOut := dstore(t, "--home", home, "--quiet", "get", "--range", r.spec, res.Root)
		if code != 0 || out != string(plainBytes[r.off:r.off+r.n]) {
			t.Fatalf("get --range %s: exit %d, %d bytes: %s", r.spec, code, len(out), errOut)
		}
	}
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "--range", fmt.Sprintf("%d-", size), res.Root); code == 0 {
		t.Fatalf("a range past the plaintext's end: exit 0: %s", errOut)
	}
	// A third party: one clear sentence, no output file.
	code, _, errOut = get(home, "--identity", eveKey)
	if code != 1 || !strings.Contains(errOut, "encrypted to other recipients") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("get by a third party: exit %d: %q", code, errOut)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("a failed decryption left an output file")
	}
	// No identity at all.
	noKeys := t.TempDir()
	devnetJSON, err := os.ReadFile(filepath.Join(home, "devnet.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(noKeys, "devnet.json"), devnetJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = get(noKeys)
	if code != 1 || !strings.Contains(errOut, "is encrypted and") || !strings.Contains(errOut, "--identity") {
		t.Fatalf("get without an identity: exit %d: %q", code, errOut)
	}
	// --raw gives the ciphertext, which anyone can check against the CID.
	if code, _, errOut := get(noKeys, "--raw"); code != 0 {
		t.Fatalf("get --raw: exit %d: %s", code, errOut)
	}
	raw, err := os.ReadFile(dst)
	if err != nil || !crypt.IsEncrypted(raw) || int64(len(raw)) != res.Size {
		t.Fatalf("get --raw wrote %d bytes: %v", len(raw), err)
	}
	if _, cidOut, _ := dstore(t, "cid", dst); strings.TrimSpace(cidOut) != res.Root {
		t.Fatalf("the ciphertext's CID is %s, the put said %s", cidOut, res.Root)
	}

	// status says so, in text and JSON; a clear file is not encrypted.
	code, out, errOut = dstore(t, "--home", noKeys, "status", res.Root)
	if code != 0 || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "encrypted (age)") {
		t.Fatalf("status: exit %d: %s %s", code, out, errOut)
	}
	clearFile, _ := writeFile(t, dir, "clear", 1000, 78)
	_, clearCID, _ := dstore(t, "--home", home, "--quiet", "put", clearFile)
	for cid, want := range map[string]bool{res.Root: true, strings.TrimSpace(clearCID): false} {
		code, out, errOut := dstore(t, "--home", home, "--json", "status", cid)
		var st struct {
			Encrypted *bool `json:"encrypted"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Encrypted == nil || *st.Encrypted != want {
			t.Fatalf("status --json of %s: exit %d: %s %s", cid, code, out, errOut)
		}
	}
	// A clear file reads as before with identities around.
	if code, _, errOut := dstore(t, "--home", home, "--quiet", "get", "-o", dst, strings.TrimSpace(clearCID)); code != 0 {
		t.Fatalf("get of a clear file: exit %d: %s", code, errOut)
	}

	// A recipient that is not one is a usage error that does not echo a secret key.
	secret, _ := os.ReadFile(eveKey)
	line := strings.TrimSpace(string(secret[strings.LastIndex(strings.TrimSpace(string(secret)), "\n")+1:]))
	code, _, errOut = dstore(t, "--home", home, "put", "--recipient", line, src)
	if code != 2 || strings.Contains(errOut, "AGE-SECRET") || !strings.Contains(errOut, "--recipient") {
		t.Fatalf("put --recipient SECRET: exit %d: %q", code, errOut)
	}
}
