#!/usr/bin/env bash
# Installs the test host, code-server 4.100.3 (VS Code 1.100.3), into .test-host/code-server/.
# Idempotent: returns at once when that version is already installed and complete.
# The Debian packages it needs are installed by test/host/apt-deps.sh (run by .ci/run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION=4.100.3
HOST_DIR="$ROOT/.test-host/code-server"
SRC_DIR="$ROOT/test/host/code-server"
MARKER="$HOST_DIR/.installed-$VERSION"
CS="$HOST_DIR/node_modules/code-server"

if [[ -f "$MARKER" && -f "$CS/out/node/entry.js" && -x "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]]; then
  echo "host:install: code-server $VERSION already installed in .test-host/code-server"
  exit 0
fi

if ! bash "$ROOT/test/host/apt-deps.sh" --check; then
  echo "host:install: install the Debian packages above first (.ci/run does it)" >&2
  exit 1
fi

start=$(date +%s)
echo "host:install: installing code-server $VERSION into .test-host/code-server (about 1-2 minutes)"
rm -rf "$HOST_DIR"
mkdir -p "$HOST_DIR"
cp "$SRC_DIR/package.json" "$HOST_DIR/"
[[ -f "$SRC_DIR/package-lock.json" ]] && cp "$SRC_DIR/package-lock.json" "$HOST_DIR/"

# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless its cache
# already holds the tarball: give it Debian's rg, packed as `rg` at the tarball's root.
TMP_ROOT="$ROOT/.test-host/tmp"
mkdir -p "$TMP_ROOT"
RG_CACHE="$TMP_ROOT/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
RG_STAGE="$(mktemp -d "$TMP_ROOT/rg.XXXXXX")"
cp "$(command -v rg)" "$RG_STAGE/rg"
for triple in x86_64-unknown-linux-musl aarch64-unknown-linux-gnu aarch64-unknown-linux-musl; do
  tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-$triple.tar.gz" -C "$RG_STAGE" rg
done
rm -rf "$RG_STAGE"

export TMPDIR="$TMP_ROOT"
# Root installs: code-server's postinstall refuses without unsafe-perm; node-pty's postinstall
# runs `npx node-gyp`, which the machine's npm config cancels without yes=true.
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false

cd "$HOST_DIR"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
  # Keep the resolved tree for the next installs (copy it back into test/host/code-server/).
  cp package-lock.json "$SRC_DIR/package-lock.json"
fi

if [[ ! -x "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]]; then
  echo "host:install: code-server installed but its ripgrep binary is missing" >&2
  exit 1
fi
XDG_CONFIG_HOME="$TMP_ROOT" XDG_DATA_HOME="$TMP_ROOT" \
  node "$CS/out/node/entry.js" --version --config "$TMP_ROOT/version-config.yaml"
touch "$MARKER"
rm -rf "$TMP_ROOT"
echo "host:install: code-server $VERSION installed in $(( $(date +%s) - start )) s"
