#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) as an office would use them: pre-commit
# from PyPI, a scratch git repository with the bundled example, a baseline of its
# findings, then one wrong grade and one pasted paragraph: the hook fails and names
# exactly those two.
#
#   tests/pre-commit/run.sh [PLANCHECK_BINARY]
#
# pre-commit builds plancheck from this repository at HEAD (language: rust) with
# CARGO_TARGET_DIR pointing at target/pre-commit, so a second run reuses the build.
# The binary ($1, default target/debug/plancheck) only prepares the scratch repository.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${1:-$repo/target/debug/plancheck}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "run.sh: no executable plancheck at $bin" >&2; exit 2; }

venv="${PLANCHECK_PRECOMMIT_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/pre-commit" ]; then
  echo "== installing pre-commit into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit>=3,<5" \
    || { echo "run.sh: pip install failed" >&2; rm -rf "$venv"; exit 2; }
fi
rev="$(git -C "$repo" rev-parse HEAD)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/.cache"
export CARGO_TARGET_DIR="$repo/target/pre-commit"
cd "$scratch"
mkdir plans && cd plans
git init -q -b main .
git config user.email ci@example.invalid
git config user.name ci
cp "$repo"/examples/isesaki/*.plan .
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: plancheck-check
        args: [--baseline, plancheck-baseline.json, --deny, warnings]
      - id: plancheck-fmt
YAML
# The first day: init, the canonical layout, today's findings recorded.
"$bin" init > /dev/null
"$bin" fmt . > /dev/null
"$bin" check --write-baseline plancheck-baseline.json 2> /dev/null
git add -A
"$venv/bin/pre-commit" run --all-files > "$scratch/first.txt" 2>&1 || { cat "$scratch/first.txt"; echo "run.sh: the hooks fail on the recorded plan" >&2; exit 1; }
git commit -q -m "plans with a baseline"

# A wrong grade (80 of 72 is A) and a paragraph pasted over another.
python3 "$repo/tests/common/two_mistakes.py" 3-anzen.plan
git add -A
set +e
"$venv/bin/pre-commit" run > "$scratch/second.txt" 2>&1
status=$?
set -e
cat "$scratch/second.txt"
[ "$status" -ne 0 ] || { echo "run.sh: the hook let a wrong grade and a pasted paragraph through" >&2; exit 1; }
findings="$(grep -oE '^(warning|error|info)\[[a-z-]+\]|^[a-z-]+ \(PC[0-9]+\)' "$scratch/second.txt" | sort | tr '\n' ' ')"
expected="duplicate-text (PC301) rating-mismatch (PC201) "
if [ "$findings" != "$expected" ]; then
  echo "run.sh: expected exactly [$expected], got [$findings]" >&2
  exit 1
fi
grep -q "plancheck fmt.*Passed" "$scratch/second.txt" || { echo "run.sh: the fmt hook did not pass" >&2; exit 1; }
echo "tests/pre-commit/run.sh: passed (pre-commit $("$venv/bin/pre-commit" --version | cut -d' ' -f2); the hook reported: $findings)"
