// Command pulumi-language-nodejs is the Node.js language host that scripts/pulumi-engine.sh
// installs next to the pulumi CLI (the engine looks for language plugins beside its own
// executable). The engine starts it with its own gRPC address as the last argument, reads the
// port it serves on from the first line of stdout, and then asks it to run Pulumi programs
// (Run) and CrossGuard policy packs (RunPlugin) with node.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// engineCheckInterval is how often the host asks whether the engine is still there.
const engineCheckInterval = 2 * time.Second

// version is stamped at build time (-X main.version=...) with the pinned engine version.
var version = "0.0.0-dev"

func main() {
	if err := serve(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// serve parses the engine's arguments, serves the LanguageRuntime service on 127.0.0.1 until
// the engine stops it, and then stops any node process still running.
func serve(args []string) error {
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	// The engine forwards its logging and tracing flags to every plugin it starts.
	logToStderr := flags.Bool("logtostderr", false, "log to stderr instead of a log file")
	verbose := flags.Int("v", 0, "log verbosity")
	flags.String("tracing", "", "tracing endpoint (not used by this host)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	logging.InitLogging(*logToStderr, *verbose, false)

	h := newHost(flags.Arg(0))
	// Stop serving (and stop node) when the engine goes away without stopping us, e.g. killed.
	engineGone := make(chan bool, 1)
	if engine := flags.Arg(0); engine != "" {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		notify := func() {
			select {
			case engineGone <- true:
			default:
			}
		}
		if err := rpcutil.Healthcheck(ctx, engine, engineCheckInterval, func() { notify(); cancel() }); err != nil {
			return err
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: engineGone,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(s, h)
			return nil
		},
	})
	if err != nil {
		return err
	}
	// The engine reads the port from the first line of our stdout.
	fmt.Printf("%d\n", handle.Port)

	err = <-handle.Done
	h.children.terminate(terminateGrace)
	return err
}
