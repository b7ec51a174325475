package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestParseOptions(t *testing.T) {
	opts, err := structpb.NewStruct(map[string]any{
		"nodeargs": "  --import=tsx   --enable-source-maps ", "typescript": false, "packagemanager": "npm",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseOptions(opts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.nodeArgs, "|") != "--import=tsx|--enable-source-maps" || got.typescript {
		t.Fatalf("parseOptions = %+v", got)
	}

	defaults, err := parseOptions(nil)
	if err != nil || !defaults.typescript || len(defaults.nodeArgs) != 0 {
		t.Fatalf("parseOptions(nil) = %+v, %v", defaults, err)
	}

	bad, _ := structpb.NewStruct(map[string]any{"typescript": "maybe"})
	if _, err := parseOptions(bad); err == nil {
		t.Fatal("typescript: maybe was accepted")
	}
}

func TestProgramArg(t *testing.T) {
	info := &pulumirpc.ProgramInfo{ProgramDirectory: "/repo/stacks", EntryPoint: "index.ts"}
	if got := programArg(info); got != "/repo/stacks/index.ts" {
		t.Fatalf("programArg = %q", got)
	}
	info.EntryPoint = "."
	if got := programArg(info); got != "." {
		t.Fatalf("programArg(.) = %q", got)
	}
}

func TestRunResponse(t *testing.T) {
	if r := runResponse(nodeExit{}, nil); r.GetError() != "" || r.GetBail() {
		t.Fatalf("success: %v", r)
	}
	if r := runResponse(nodeExit{code: loggedErrorExitCode}, nil); !r.GetBail() || r.GetError() != "" {
		t.Fatalf("logged error: %v", r)
	}
	if r := runResponse(nodeExit{code: 1}, nil); !strings.Contains(r.GetError(), "exit code: 1") {
		t.Fatalf("exit 1: %v", r)
	}
}

func TestProgramEnvEncodesConfigAsJSON(t *testing.T) {
	req := &pulumirpc.RunRequest{Config: map[string]string{"fixture:greeting": "hi"}}
	env, err := programEnv([]string{"PATH=/bin"}, req, runtimeOptions{typescript: false})
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(env, "\n")
	for _, want := range []string{
		`PULUMI_CONFIG={"fixture:greeting":"hi"}`, "PULUMI_CONFIG_SECRET_KEYS=[]", "PULUMI_NODEJS_TYPESCRIPT=false",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("env lacks %s:\n%s", want, joined)
		}
	}
}

func TestPackEntry(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("index.ts", "")
	entry, err := packEntry(dir, packageJSON{})
	if err != nil || entry != filepath.Join(dir, "index.ts") {
		t.Fatalf("packEntry (index.ts) = %q, %v", entry, err)
	}
	entry, _ = packEntry(dir, packageJSON{Main: "src/pack.ts"})
	if entry != filepath.Join(dir, "src/pack.ts") {
		t.Fatalf("packEntry (main) = %q", entry)
	}
	entry, _ = packEntry(dir, packageJSON{Main: "ignored.ts", Exports: []byte(`{".": "./lib/pack.ts"}`)})
	if entry != filepath.Join(dir, "lib/pack.ts") {
		t.Fatalf("packEntry (exports) = %q", entry)
	}
}

func TestPolicyPackProgram(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"type":"module","main":"index.ts"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	args, err := policyPackProgram(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(args) != 2 || !strings.HasPrefix(filepath.Base(args[0]), "policy-pack-entry-") || args[1] != filepath.Join(dir, "index.ts") {
		t.Fatalf("policyPackProgram = %v", args)
	}
	if content, err := os.ReadFile(args[0]); err != nil || string(content) != policyPackEntry {
		t.Fatalf("the entry shim holds %q, %v", content, err)
	}
	again, err := policyPackProgram(dir)
	if err != nil || again[0] != args[0] {
		t.Fatalf("a second run uses %v, %v", again, err)
	}

	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"main":"index.js"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	args, err = policyPackProgram(dir)
	if err != nil || len(args) != 1 || args[0] != dir {
		t.Fatalf("CommonJS pack: %v, %v", args, err)
	}
}

func TestPolicyPackEnvLeavesTsNodeOutOnlyWithoutTypescript(t *testing.T) {
	base := []string{"PATH=/bin"}
	if env := policyPackEnv(base, runtimeOptions{typescript: false}); !strings.Contains(strings.Join(env, " "), "TS_NODE_IGNORE=.") {
		t.Fatalf("typescript: false: %v", env)
	}
	if env := policyPackEnv(base, runtimeOptions{typescript: true}); strings.Contains(strings.Join(env, " "), "TS_NODE_IGNORE") {
		t.Fatalf("typescript: true: %v", env)
	}
}

func TestEngineArgIsTheLastArgument(t *testing.T) {
	if got := engineArg([]string{"--logtostderr", "-v=9", "127.0.0.1:4242"}); got != "127.0.0.1:4242" {
		t.Fatalf("engineArg = %q", got)
	}
}

func TestTerminateKillsWhatIgnoresSigterm(t *testing.T) {
	children := newChildSet()
	for range 2 {
		// A shell that ignores SIGTERM must still be gone once terminate returns.
		cmd := exec.Command("sh", "-c", "trap '' TERM; while :; do sleep 0.05; done")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children.add(cmd)
		go func() {
			_ = cmd.Wait()
			children.remove(cmd)
		}()
	}
	time.Sleep(100 * time.Millisecond) // let the shells install their trap
	start := time.Now()
	children.terminate(200 * time.Millisecond)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("terminate took %v", elapsed)
	}
	// The waiters reap the killed shells and remove them from the set.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		children.mu.Lock()
		left := len(children.procs)
		children.mu.Unlock()
		if left == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("children are still running after terminate")
}
