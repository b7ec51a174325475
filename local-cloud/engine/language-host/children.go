package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// terminateGrace is how long a node process may take to exit after SIGTERM before it is killed.
const terminateGrace = 5 * time.Second

// childSet tracks the node processes this host started, so that Cancel (and the host's own
// shutdown) can stop them.
type childSet struct {
	mu    sync.Mutex
	procs map[*exec.Cmd]chan struct{} // closed when the process has been waited for
}

func newChildSet() *childSet {
	return &childSet{procs: map[*exec.Cmd]chan struct{}{}}
}

func (c *childSet) add(cmd *exec.Cmd) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.procs[cmd] = make(chan struct{})
}

func (c *childSet) remove(cmd *exec.Cmd) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if done, ok := c.procs[cmd]; ok {
		close(done)
		delete(c.procs, cmd)
	}
}

// terminate asks every running child to stop with SIGTERM and kills the ones that are still
// running after the grace period. It returns once all of them are gone or killed.
func (c *childSet) terminate(grace time.Duration) {
	c.mu.Lock()
	running := make(map[*exec.Cmd]chan struct{}, len(c.procs))
	for cmd, done := range c.procs {
		running[cmd] = done
	}
	c.mu.Unlock()

	for cmd := range running {
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}
	// A context, unlike a timer channel, stays done for every child after the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	for cmd, done := range running {
		select {
		case <-done:
		case <-ctx.Done():
			_ = cmd.Process.Kill()
		}
	}
}

// nodeCommand describes one node process: its arguments (node flags, then the script and its
// arguments), working directory, environment and where its output goes.
type nodeCommand struct {
	dir    string
	args   []string
	env    []string
	stdout io.Writer
	stderr io.Writer
}

// nodeExit is how a node process ended: its exit code, or the signal that killed it.
type nodeExit struct {
	code   int
	signal syscall.Signal // non-zero when killed by a signal
}

// shellCode is the exit code as a shell reports it (128+signal for a killed process).
func (e nodeExit) shellCode() int {
	if e.signal != 0 {
		return 128 + int(e.signal)
	}
	return e.code
}

// runNode runs node to completion. Cancelling ctx (the engine ending the RPC) sends SIGTERM,
// then SIGKILL after the grace period. An error means node could not be started or waited
// for; a non-zero exit is not an error.
func (h *host) runNode(ctx context.Context, nc nodeCommand) (nodeExit, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nodeExit{}, fmt.Errorf("node is not on PATH: %w", err)
	}
	cmd := exec.CommandContext(ctx, node, nc.args...)
	cmd.Dir = nc.dir
	cmd.Env = nc.env
	cmd.Stdout = nc.stdout
	cmd.Stderr = nc.stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = terminateGrace

	if err := cmd.Start(); err != nil {
		return nodeExit{}, fmt.Errorf("could not start node: %w", err)
	}
	h.children.add(cmd)
	waitErr := cmd.Wait()
	h.children.remove(cmd)
	return exitOf(waitErr)
}

// exitOf turns the result of cmd.Wait into a nodeExit.
func exitOf(waitErr error) (nodeExit, error) {
	if waitErr == nil {
		return nodeExit{}, nil
	}
	var exitErr *exec.ExitError
	if !errors.As(waitErr, &exitErr) {
		return nodeExit{}, waitErr
	}
	if status, ok := exitErr.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return nodeExit{signal: status.Signal()}, nil
	}
	return nodeExit{code: exitErr.ExitCode()}, nil
}
