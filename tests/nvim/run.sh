#!/bin/sh
# A real-client test of `plancheck lsp`: headless Neovim (0.7 or newer) with
# editors/nvim/lua/plancheck.lua opens a copy of tests/nvim/fixture.plan, gets the
# rating-mismatch diagnostic, applies its quick fix, sees the diagnostic go, formats; and
# builds the tree-sitter parser with the same module and checks its highlighting.
#
#   tests/nvim/run.sh [PLANCHECK_BINARY]      (default: target/debug/plancheck)
#
# Exits 0 when every step passed, non-zero otherwise (1 for a failed step, 124 on timeout).
# PLANCHECK_NVIM_TIMEOUT (seconds, default 60) bounds the whole run; PLANCHECK_NVIM_FIXTURE
# replaces the fixture (e.g. to see the test fail on a plan without the error).
# Needs `nvim` on PATH (Debian/Ubuntu: apt-get install -y --no-install-recommends neovim).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/target/debug/plancheck}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
fixture=${PLANCHECK_NVIM_FIXTURE:-$here/fixture.plan}
limit=${PLANCHECK_NVIM_TIMEOUT:-60}

if [ ! -x "$bin" ]; then
  echo "tests/nvim/run.sh: no plancheck binary at $bin (build it, or pass its path)" >&2
  exit 2
fi
if ! command -v nvim >/dev/null 2>&1; then
  echo "tests/nvim/run.sh: nvim not found (apt-get install -y --no-install-recommends neovim)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# A project folder with a space and Japanese in its name (URIs are percent-encoded),
# plancheck.toml at its top (the root the client must find) and the plan one level down.
root="$tmp/伊勢崎 計画"
mkdir -p "$root/plans" "$tmp/xdg"
: >"$root/plancheck.toml"
cp "$fixture" "$root/plans/1-kenko.plan"

# Escapes for an Ex command line: space, comma (runtimepath), backslash.
ex_escape() { printf '%s' "$1" | sed 's/[ ,\\]/\\&/g'; }

start=$(date +%s)
status=0
XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" XDG_CACHE_HOME="$tmp/xdg/cache" \
XDG_STATE_HOME="$tmp/xdg/state" \
PLANCHECK_BIN="$bin" PLANCHECK_FILE="$root/plans/1-kenko.plan" PLANCHECK_ROOT="$root" \
  timeout -k 5 "$limit" nvim --headless -u NONE -i NONE -n \
    --cmd "set rtp+=$(ex_escape "$repo/editors/nvim")" \
    -c "luafile $(ex_escape "$here/test.lua")" </dev/null || status=$?
end=$(date +%s)

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "FAIL: nvim did not finish within ${limit} s" >&2
fi
if [ "$status" -ne 0 ]; then
  for log in "$tmp"/xdg/*/nvim/lsp.log; do
    [ -s "$log" ] && { echo "--- $log (last 40 lines)" >&2; tail -n 40 "$log" >&2; }
  done
  echo "tests/nvim/run.sh: failed (exit $status) after $((end - start)) s" >&2
  exit "$status"
fi
echo "tests/nvim/run.sh: passed in $((end - start)) s ($(nvim --version | head -n 1))"
