#!/usr/bin/env bash
# Drives `plancheck lsp` with a second, independent client (pytest-lsp, Python).
#
#   tests/client-py/run.sh [PLANCHECK_BINARY] [PYTEST ARGS...]   (e.g. -k utf8, -v)
#
# The binary: $1, else $PLANCHECK_BIN, else target/debug/plancheck (relative paths are
# taken from the current folder). The virtualenv lives in tests/client-py/.venv (or
# $PLANCHECK_PY_VENV) and is reinstalled whenever requirements.txt changes.
# Exit status: pytest's, except that "no tests collected" (5) is a failure too (1),
# and 2 for a missing binary or a failed install.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

bin=""
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then  # a first argument not starting with `-` is the binary
  bin="$1"
  shift
fi
bin="${bin:-${PLANCHECK_BIN:-$repo/target/debug/plancheck}}"
case "$bin" in
  /*) ;;
  *) bin="$PWD/$bin" ;;
esac
if [ ! -x "$bin" ]; then
  echo "run.sh: no executable plancheck at $bin (pass it as \$1 or set PLANCHECK_BIN)" >&2
  exit 2
fi

python="${PYTHON:-python3}"
venv="${PLANCHECK_PY_VENV:-$here/.venv}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== creating $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv" || { echo "run.sh: cannot create a virtualenv with $python" >&2; exit 2; }
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" \
    || { echo "run.sh: pip install failed" >&2; rm -rf "$venv"; exit 2; }
  echo "$want" > "$stamp"
fi

# Write nothing into the tree besides the venv: no __pycache__, no .pytest_cache.
export PYTHONDONTWRITEBYTECODE=1
export PLANCHECK_BIN="$bin"
set +e
"$venv/bin/python" -m pytest "$here" \
  --rootdir "$here" -p no:cacheprovider \
  -o asyncio_mode=strict -o asyncio_default_fixture_loop_scope=function \
  -ra "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "run.sh: pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"
