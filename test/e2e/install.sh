#!/usr/bin/env bash
# Installs what the end-to-end suites need, idempotently, offline-safe (Debian packages and the
# npm registry only): Neovim and Chromium from Debian, and code-server 4.100.3 (VS Code 1.100.3,
# the last release that runs on Node 20) from npm into .e2e/code-server.
#   test/e2e/install.sh   prints the code-server binary's path on its last line
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.e2e/code-server"
version=4.100.3

missing=()
for p in neovim chromium libkrb5-dev ripgrep; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e install: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

bin="$dest/node_modules/.bin/code-server"
if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q "^$version"; then
  echo "e2e install: code-server $version (compiles native modules, about two minutes)" >&2
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the archive:
  # put Debian's rg there.
  cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$archive" ]; then
    mkdir -p "$cache"
    staging="$(mktemp -d)"
    cp "$(command -v rg)" "$staging/rg"
    tar czf "$archive" -C "$staging" rg
    rm -rf "$staging"
  fi
  mkdir -p "$dest"
  [ -f "$dest/package.json" ] || echo '{"name": "recipe-lens-e2e-code-server", "private": true}' > "$dest/package.json"
  # From source: argon2 and kerberos would fetch prebuilt binaries from GitHub. yes: node-pty's
  # postinstall runs npx. unsafe-perm: code-server's postinstall refuses root without it.
  (cd "$dest" && npm_config_build_from_source=true npm_config_yes=true npm_config_unsafe_perm=true \
    npm install "code-server@$version" --unsafe-perm --no-audit --no-fund --loglevel=error >&2)
fi
echo "$bin"
