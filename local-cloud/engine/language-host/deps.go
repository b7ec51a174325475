package main

import (
	"context"
	"path/filepath"
	"sort"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GetProgramDependencies lists the program's package.json dependencies with the version
// installed in node_modules (or the declared range when a package is not installed).
func (h *host) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	manifest, err := findUp(dir, "package.json")
	if err != nil {
		return nil, err
	}
	pkg, err := readPackageJSON(manifest)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(pkg.Dependencies))
	for name := range pkg.Dependencies {
		names = append(names, name)
	}
	sort.Strings(names)

	deps := make([]*pulumirpc.DependencyInfo, 0, len(names))
	for _, name := range names {
		deps = append(deps, &pulumirpc.DependencyInfo{
			Name:    name,
			Version: installedVersion(filepath.Dir(manifest), name, pkg.Dependencies[name]),
		})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// installedVersion is the version of the package Node would resolve from dir, else fallback.
func installedVersion(dir, name, fallback string) string {
	path, err := findUp(dir, filepath.Join("node_modules", filepath.FromSlash(name), "package.json"))
	if err != nil {
		return fallback
	}
	pkg, err := readPackageJSON(path)
	if err != nil || pkg.Version == "" {
		return fallback
	}
	return pkg.Version
}
