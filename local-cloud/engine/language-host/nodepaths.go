package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// packageJSON holds the package.json fields the host reads.
type packageJSON struct {
	Type         string            `json:"type"`
	Main         string            `json:"main"`
	Exports      json.RawMessage   `json:"exports"`
	Dependencies map[string]string `json:"dependencies"`
	Version      string            `json:"version"`
}

func readPackageJSON(path string) (packageJSON, error) {
	var pkg packageJSON
	data, err := os.ReadFile(path)
	if err != nil {
		return pkg, err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return pkg, fmt.Errorf("%s: %w", path, err)
	}
	return pkg, nil
}

// findUp returns the first <dir>/<name> that exists, from start up to the file system root,
// which is how Node looks for package.json and node_modules.
func findUp(start, name string) (string, error) {
	dir := filepath.Clean(start)
	for {
		candidate := filepath.Join(dir, name)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no %s in %s or any parent directory", name, start)
		}
		dir = parent
	}
}

// pulumiScript finds a script of the @pulumi/pulumi package the program (or pack) resolves, e.g.
// "cmd/run/index.js". The file itself is named, not its directory: node runs the main script
// through the ES module loader when a loader is given with --import, and that loader does not
// resolve directories.
func pulumiScript(start, script string) (string, error) {
	dir, err := findUp(start, filepath.Join("node_modules", "@pulumi", "pulumi"))
	if err != nil {
		return "", fmt.Errorf("@pulumi/pulumi is not installed for %s (run npm ci): %w", start, err)
	}
	path := filepath.Join(dir, filepath.FromSlash(script))
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("this @pulumi/pulumi has no %s: %w", script, err)
	}
	return path, nil
}

// packEntry is the file an ES-module package directory starts from, resolved like cmd/run does
// for a program directory: package.json "exports" (a string or "."), then "main", then index.*.
func packEntry(dir string, pkg packageJSON) (string, error) {
	if rel := mainExport(pkg.Exports); rel != "" {
		return filepath.Join(dir, rel), nil
	}
	if pkg.Main != "" {
		return filepath.Join(dir, pkg.Main), nil
	}
	for _, name := range []string{"index.js", "index.mjs", "index.ts", "index.mts"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s has no entry point: set \"main\" in its package.json or add index.ts", dir)
}

// mainExport reads a package.json "exports" that is a string or has a string "." entry.
func mainExport(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		if dot, ok := m["."]; ok && json.Unmarshal(dot, &s) == nil {
			return s
		}
	}
	return ""
}
