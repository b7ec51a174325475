package main

import (
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// runtimeOptions are the `runtime.options` of Pulumi.yaml or PulumiPolicy.yaml that matter here.
type runtimeOptions struct {
	// nodeArgs go to node before the script, e.g. --import=tsx.
	nodeArgs []string
	// typescript is whether @pulumi/pulumi should register ts-node itself (the default, as upstream).
	typescript bool
	// tsconfig is a tsconfig path for ts-node, relative to the program directory.
	tsconfig string
}

func parseOptions(opts *structpb.Struct) (runtimeOptions, error) {
	parsed := runtimeOptions{typescript: true}
	values := opts.AsMap() // nil-safe: an absent options block gives an empty map
	if raw, ok := values["nodeargs"]; ok {
		s, ok := raw.(string)
		if !ok {
			return parsed, fmt.Errorf("runtime option nodeargs must be a string, got %T", raw)
		}
		// A whitespace split, like a shell without quoting, is all Pulumi.yaml needs.
		parsed.nodeArgs = strings.Fields(s)
	}
	if raw, ok := values["typescript"]; ok {
		b, err := boolOption("typescript", raw)
		if err != nil {
			return parsed, err
		}
		parsed.typescript = b
	}
	if raw, ok := values["tsconfig"]; ok {
		s, ok := raw.(string)
		if !ok {
			return parsed, fmt.Errorf("runtime option tsconfig must be a string, got %T", raw)
		}
		parsed.tsconfig = s
	}
	return parsed, nil
}

// boolOption accepts a YAML boolean or its string spelling ("true", "false").
func boolOption(name string, raw any) (bool, error) {
	switch v := raw.(type) {
	case bool:
		return v, nil
	case string:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("runtime option %s must be true or false, got %q", name, v)
		}
		return b, nil
	default:
		return false, fmt.Errorf("runtime option %s must be true or false, got %T", name, raw)
	}
}
