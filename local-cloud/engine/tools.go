//go:build tools

// Package tools pins the Pulumi CLI (the engine) in this module's go.mod and go.sum, so that
// scripts/pulumi-engine.sh builds exactly the version that matches the npm @pulumi/pulumi SDK.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
