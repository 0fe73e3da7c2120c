#!/usr/bin/env bash
# Debian packages the test host needs: g++ headers for code-server's native modules, ripgrep
# (stands in for the rg binary @vscode/ripgrep would download), Chromium (driven by Playwright) and
# curl (the tests run copied cURL commands against the sandbox).
#   test/host/apt-deps.sh            install the missing ones (root, or sudo when available)
#   test/host/apt-deps.sh --check    only list the missing ones; exit 1 when some are missing
set -euo pipefail

PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium curl)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "apt-deps: all Debian packages present (${PACKAGES[*]})"
  exit 0
fi

if [[ "${1:-}" == "--check" ]]; then
  echo "apt-deps: missing Debian packages: ${missing[*]}"
  echo "apt-deps: install them with: sudo bash test/host/apt-deps.sh"
  exit 1
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "apt-deps: missing ${missing[*]} and not root (no sudo): install them as root" >&2
    exit 1
  fi
fi

echo "apt-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq "${missing[@]}"
