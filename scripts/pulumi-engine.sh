#!/usr/bin/env bash
# The Pulumi engine for shop-platform: the pulumi CLI and our own Node.js language host
# (local-cloud/engine/), built from the Go module proxy at the version pinned in
# local-cloud/engine/go.mod, so that `pulumi up/preview/destroy` and the Automation API run the
# TypeScript program and the CrossGuard policy pack without any download from get.pulumi.com.
#
# Usage: scripts/pulumi-engine.sh install|path|status|version
#
#   install  build and install what is missing (a no-op when this version and these sources are
#            installed already); needs Go and the Go module proxy (or a warm module cache)
#   path     print the bin directory (pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs);
#            exit status 3 when not installed
#   status   one line: version, bin directory, language host; exit status 3 when not installed
#   version  print the pinned engine version
#
# The bin directory is ${XDG_CACHE_HOME:-$HOME/.cache}/shop-platform/pulumi-engine/<version>-<hash>/bin,
# <hash> covering local-cloud/engine's sources: every clone on the machine shares one build, and
# a change to the host or the pin builds anew. The engine finds its language host next to its own
# executable. Progress goes to stderr; stdout carries only the output of path, status and version.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"
ENGINE_DIR="$REPO_ROOT/local-cloud/engine"

# Bump when the build commands below change, so that existing builds are not reused.
BUILD_RECIPE=1
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/shop-platform/pulumi-engine"
LOCK_TIMEOUT=1800

log() { printf '[pulumi-engine] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# The engine version is the pulumi/pkg requirement in go.mod (one source of truth).
engine_version() {
  local v
  v=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2; exit }' "$ENGINE_DIR/go.mod")
  [[ $v =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "no github.com/pulumi/pulumi/pkg/v3 version in $ENGINE_DIR/go.mod"
  echo "${v#v}"
}

# A short hash of what the build depends on: the module files, the pin and the host's sources.
source_hash() {
  {
    echo "recipe $BUILD_RECIPE"
    (cd "$ENGINE_DIR" && find go.mod go.sum tools.go language-host -type f ! -name '*_test.go' -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-12
}

VERSION=$(engine_version)
KEY="$VERSION-$(source_hash)"
INSTALL_DIR="$CACHE_ROOT/$KEY"
BIN_DIR="$INSTALL_DIR/bin"

installed() {
  [[ -x $BIN_DIR/pulumi && -x $BIN_DIR/pulumi-language-nodejs && -x $BIN_DIR/pulumi-resource-pulumi-nodejs ]]
}

with_lock() {
  mkdir -p "$CACHE_ROOT"
  exec 8>"$CACHE_ROOT/$KEY.lock"
  if ! flock -n 8; then
    log "waiting for another install of $KEY to finish"
    flock -w "$LOCK_TIMEOUT" 8 || die "timed out waiting for the lock $CACHE_ROOT/$KEY.lock"
  fi
}

# Runs the build steps (output: the build log) into a staging directory next to the final one, so
# that the final directory appears complete or not at all (one rename). Every step checks its own
# status: `set -e` does not apply inside a function whose status is tested.
build_into() {
  local stage=$1 sdk_dir built
  cd "$ENGINE_DIR" || return
  export GOTOOLCHAIN=local
  echo "+ $(go version)" &&
    echo "+ go mod download" &&
    go mod download &&
    echo "+ go build pulumi" &&
    go build -mod=readonly -buildvcs=false -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
      -o "$stage/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi &&
    echo "+ go build pulumi-language-nodejs" &&
    go build -mod=readonly -buildvcs=false -trimpath \
      -ldflags "-s -w -X main.version=$VERSION" \
      -o "$stage/bin/pulumi-language-nodejs" ./language-host || return
  # The dynamic-provider shim the engine starts for pulumi.dynamic resources ships in the sdk module.
  sdk_dir=$(go list -mod=readonly -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3) &&
    install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$stage/bin/" || return
  built=$("$stage/bin/pulumi" version) || return
  echo "+ pulumi version: $built"
  if [[ $built != "v$VERSION" ]]; then
    echo "the built pulumi reports $built, expected v$VERSION"
    return 1
  fi
}

cmd_install() {
  if installed; then
    log "pulumi v$VERSION is installed in $BIN_DIR"
    return 0
  fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build the Pulumi engine (go.mod: $(awk '$1 == "go" { print $2 }' "$ENGINE_DIR/go.mod"))"
  command -v flock >/dev/null 2>&1 || die "flock (util-linux) is needed"
  with_lock
  if installed; then
    log "pulumi v$VERSION was installed meanwhile in $BIN_DIR"
    return 0
  fi

  local stage t0=$SECONDS
  stage=$(mktemp -d "$CACHE_ROOT/.stage-$KEY.XXXXXX")
  mkdir -p "$stage/bin"
  log "building pulumi v$VERSION and pulumi-language-nodejs into $BIN_DIR"
  log "(about 5 minutes with a cold Go build cache, seconds with a warm one)"
  if ! (build_into "$stage") >"$stage/build.log" 2>&1; then
    local failed="$CACHE_ROOT/$KEY.failed.log"
    mv -f "$stage/build.log" "$failed"
    rm -rf "$stage"
    log "FAILED: the build did not complete; last 40 lines of $failed:"
    tail -n 40 "$failed" >&2
    exit 1
  fi
  rm -rf "$INSTALL_DIR" "$CACHE_ROOT/$KEY.failed.log"
  mv -T "$stage" "$INSTALL_DIR"
  chmod 755 "$INSTALL_DIR"
  log "installed pulumi v$VERSION in $BIN_DIR ($((SECONDS - t0)) s)"
}

cmd_path() {
  if ! installed; then
    log "pulumi v$VERSION is not installed; run: bash scripts/pulumi-engine.sh install"
    exit 3
  fi
  echo "$BIN_DIR"
}

cmd_status() {
  if installed; then
    printf '%-11s %-5s %-17s %s\n' pulumi ready "v$VERSION" \
      "$BIN_DIR (language host nodejs: programs and policy packs)"
  else
    printf '%-11s %-5s %-17s %s\n' pulumi none "v$VERSION" "(not installed: bash scripts/pulumi-engine.sh install)"
    exit 3
  fi
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
}

main() {
  case ${1:-} in
  install) cmd_install ;;
  path) cmd_path ;;
  status) cmd_status ;;
  version) echo "$VERSION" ;;
  -h | --help | help) usage ;;
  *)
    usage
    exit 2
    ;;
  esac
}

main "$@"
