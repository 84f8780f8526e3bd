#!/usr/bin/env bash
# Installs the command-line tools the tests use into tools/ (ignored by git): buf, for `buf curl`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
buf_version="${BUF_VERSION:-1.75.0}"
if [[ ! -x "$root/tools/buf/node_modules/.bin/buf" ]] || ! "$root/tools/buf/node_modules/.bin/buf" --version 2>/dev/null | grep -qx "$buf_version"; then
  command -v npm >/dev/null || { echo "install-tools: npm is required to install buf" >&2; exit 1; }
  npm install --silent --no-audit --no-fund --prefix "$root/tools/buf" "@bufbuild/buf@$buf_version" >&2
fi
echo "$root/tools/buf/node_modules/.bin/buf"
