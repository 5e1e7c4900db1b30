//go:build tools

// Package tools pins the Pulumi CLI build: blank imports keep the CLI's main
// package in go.mod so `go install` builds exactly the versions listed there.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
