package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// analyzerKind is RunPluginRequest.Kind for a policy pack.
const analyzerKind = "analyzer"

// policyPackEntry is the content of policy-pack-entry.cjs (see policyPackEntryFile); keeping it
// in the binary makes the binary all the host needs.
const policyPackEntry = `// The module that @pulumi/pulumi's cmd/run-policy-pack require()s in place of an ES-module
// policy pack's directory. Given the directory, run-policy-pack would require() the pack's
// entry: through the ts-node hook it registers (which breaks tsx's output of an ES module:
// "__filename is not defined in ES module scope") and as require(esm), which refuses top-level
// await. Importing the entry file here loads the pack as cmd/run loads an ES-module program:
// with import(), through the loaders that the pack's nodeargs registered (e.g. --import=tsx).
// run-policy-pack awaits this promise, so a pack that fails to load is reported as usual.
"use strict";
const { pathToFileURL } = require("node:url");

const entry = process.argv[2];
if (!entry) {
  throw new Error("policy-pack-entry: expected the pack's entry file as the first argument");
}
module.exports = import(pathToFileURL(entry).href);
`

// RunPlugin runs a policy pack (the engine uses it for every pack when a language host exists):
// node <nodeargs> @pulumi/pulumi/cmd/run-policy-pack/index.js <engine> <pack>, in the pack's
// directory (@pulumi/policy reads the pack's version from ./package.json). The pack's output
// is streamed back (its first stdout line is the port the engine connects to), then its exit code.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, stream pulumirpc.LanguageRuntime_RunPluginServer) error {
	if req.GetKind() != analyzerKind {
		return status.Errorf(codes.Unimplemented,
			"pulumi-language-nodejs runs policy packs only, not %q plugins", req.GetKind())
	}
	if req.GetAttachDebugger() {
		return status.Error(codes.Unimplemented, "pulumi-language-nodejs cannot attach a debugger")
	}
	dir := req.GetInfo().GetProgramDirectory()
	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	runner, err := pulumiScript(dir, "cmd/run-policy-pack/index.js")
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	pack, err := policyPackProgram(dir)
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}

	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runner, engineArg(req.GetArgs()))
	args = append(args, pack...)
	out := &pluginStream{stream: stream}
	exit, err := h.runNode(stream.Context(), nodeCommand{
		dir: dir, args: args, env: policyPackEnv(req.GetEnv(), opts),
		stdout: out.writer(false), stderr: out.writer(true),
	})
	if err != nil {
		return status.Error(codes.Internal, err.Error())
	}
	return out.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exit.shellCode())},
	})
}

// engineArg is the engine's address: the engine appends it after its logging and tracing
// flags, which run-policy-pack does not use.
func engineArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[len(args)-1]
}

// policyPackProgram is what run-policy-pack is given to require(). A CommonJS pack is required
// by its directory, as upstream does. An ES-module pack is imported through policy-pack-entry.cjs,
// given the pack's entry file.
func policyPackProgram(dir string) ([]string, error) {
	pkg, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, err
	}
	if pkg.Type != "module" {
		return []string{dir}, nil
	}
	entry, err := packEntry(dir, pkg)
	if err != nil {
		return nil, err
	}
	shim, err := policyPackEntryFile()
	if err != nil {
		return nil, err
	}
	return []string{shim, entry}, nil
}

// policyPackEntryFile writes policy-pack-entry.cjs once per content into the user's cache
// directory and returns its path. It is never removed: the engine may kill this host before the
// pack exits, so a per-run temporary file would be left behind anyway.
func policyPackEntryFile() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(policyPackEntry))
	dir := filepath.Join(base, "shop-platform", "pulumi-language-nodejs")
	path := filepath.Join(dir, fmt.Sprintf("policy-pack-entry-%x.cjs", sum[:6]))
	if content, err := os.ReadFile(path); err == nil && string(content) == policyPackEntry {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Write and rename, so that a concurrent run never requires a half-written file.
	tmp, err := os.CreateTemp(dir, "policy-pack-entry-*.tmp")
	if err != nil {
		return "", err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.WriteString(policyPackEntry); err != nil {
		_ = tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}

// policyPackEnv is the environment the engine chose for the pack. run-policy-pack registers
// ts-node whatever the runtime options say, and its require hook compiles each CommonJS .ts file
// again on top of tsx. With `typescript: false`, TS_NODE_IGNORE makes that hook pass every file
// through, so the loader from nodeargs alone loads the pack, as cmd/run does for a program.
func policyPackEnv(engineEnv []string, opts runtimeOptions) []string {
	env := append([]string{}, engineEnv...)
	if len(env) == 0 {
		env = os.Environ()
	}
	if !opts.typescript {
		env = append(env, "TS_NODE_IGNORE=.")
	}
	return env
}

// pluginStream sends a plugin's stdout and stderr chunks to the engine as they come; a gRPC
// stream must not be written from two goroutines at once.
type pluginStream struct {
	mu     sync.Mutex
	stream pulumirpc.LanguageRuntime_RunPluginServer
}

func (s *pluginStream) send(msg *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stream.Send(msg)
}

func (s *pluginStream) writer(stderr bool) *pluginWriter {
	return &pluginWriter{stream: s, stderr: stderr}
}

type pluginWriter struct {
	stream *pluginStream
	stderr bool
}

func (w *pluginWriter) Write(p []byte) (int, error) {
	chunk := append([]byte{}, p...)
	msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
	if w.stderr {
		msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}}
	}
	if err := w.stream.send(msg); err != nil {
		return 0, err
	}
	return len(p), nil
}
