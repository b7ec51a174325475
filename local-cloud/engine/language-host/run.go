package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// loggedErrorExitCode is the exit code with which @pulumi/pulumi/cmd/run says it has already
// reported the program's error to the engine, so the engine should not add a message of its own.
const loggedErrorExitCode = 32

// Run runs a Pulumi program: node <nodeargs> @pulumi/pulumi/cmd/run/index.js <flags> <program>,
// with the program's output going to the engine through our own stdout and stderr.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return nil, status.Error(codes.Unimplemented, "pulumi-language-nodejs cannot attach a debugger")
	}
	info := req.GetInfo()
	if info == nil {
		return nil, status.Error(codes.InvalidArgument, "RunRequest has no program info")
	}
	opts, err := parseOptions(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runner, err := pulumiScript(info.GetProgramDirectory(), "cmd/run/index.js")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := programEnv(os.Environ(), req, opts)
	if err != nil {
		return nil, err
	}

	pwd := programPwd(req)
	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runner)
	args = append(args, h.runFlags(req, pwd)...)
	args = append(args, programArg(info))
	args = append(args, req.GetArgs()...)

	exit, err := h.runNode(ctx, nodeCommand{dir: pwd, args: args, env: env, stdout: os.Stdout, stderr: os.Stderr})
	return runResponse(exit, err), nil
}

// programPwd is the directory the program runs in: the engine's choice, else the program directory.
func programPwd(req *pulumirpc.RunRequest) string {
	if pwd := req.GetPwd(); pwd != "" {
		return pwd
	}
	return req.GetInfo().GetProgramDirectory()
}

// runFlags are the flags cmd/run reads (see its usage text). The --key=value form keeps a value
// from being mistaken for the program.
func (h *host) runFlags(req *pulumirpc.RunRequest, pwd string) []string {
	flags := []string{"--monitor=" + req.GetMonitorAddress()}
	add := func(name, value string) {
		if value != "" {
			flags = append(flags, "--"+name+"="+value)
		}
	}
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", pwd)
	add("root-directory", req.GetInfo().GetRootDirectory())
	if req.GetDryRun() {
		flags = append(flags, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	return flags
}

// programArg is the program cmd/run loads. "." (no `main` in Pulumi.yaml) stays "." so that
// cmd/run picks the entry point from package.json, as it does under the upstream host.
func programArg(info *pulumirpc.ProgramInfo) string {
	if info.GetEntryPoint() == "." || info.GetEntryPoint() == "" {
		return "."
	}
	return filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
}

// programEnv adds what @pulumi/pulumi reads from the environment rather than from flags: the
// stack's config and secret keys (as JSON) and the TypeScript settings.
func programEnv(base []string, req *pulumirpc.RunRequest, opts runtimeOptions) ([]string, error) {
	config, err := json.Marshal(nonNilMap(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(nonNilSlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	env := append([]string{}, base...)
	env = append(env,
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env, nil
}

// runResponse maps node's exit to what the engine expects: success, bail (the program already
// reported its error) or an error message.
func runResponse(exit nodeExit, err error) *pulumirpc.RunResponse {
	switch {
	case err != nil:
		return &pulumirpc.RunResponse{Error: err.Error()}
	case exit.signal != 0:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program was terminated by %v", exit.signal)}
	case exit.code == 0:
		return &pulumirpc.RunResponse{}
	case exit.code == loggedErrorExitCode:
		return &pulumirpc.RunResponse{Bail: true}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.code)}
	}
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
