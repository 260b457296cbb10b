#!/usr/bin/env bash
# The GitHub Action (action.yml) as far as it runs outside GitHub:
# - action.yml, the example workflow and the release workflow validate against
#   their schemas (check-jsonschema from PyPI, which ships them), and the release's
#   scripts (the tag/version check, the notes from CHANGELOG.md) work;
# - the install step builds the right commands (dry run);
# - the check step, with a fake GITHUB_STEP_SUMMARY, on the bundled example with a
#   baseline and two new mistakes: it fails, annotates exactly those two, and lists
#   them in the job summary.
#
#   tests/action/run.sh [PLANCHECK_BINARY]     (default target/debug/plancheck)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${1:-$repo/target/debug/plancheck}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "run.sh: no executable plancheck at $bin" >&2; exit 2; }
fail() { echo "tests/action/run.sh: $*" >&2; exit 1; }

venv="${PLANCHECK_ACTION_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/check-jsonschema" ]; then
  echo "== installing check-jsonschema into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "check-jsonschema>=0.28,<1" \
    || { echo "run.sh: pip install failed" >&2; rm -rf "$venv"; exit 2; }
fi
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions "$repo/action.yml"
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$repo/docs/examples/plancheck-workflow.yml"
# The release workflow, and its two scripts.
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$repo/.github/workflows/release.yml"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)"
[ "$("$repo/.github/scripts/release-version.sh" "v$version")" = "$version" ] || fail "release-version.sh does not accept v$version"
if "$repo/.github/scripts/release-version.sh" "v$version.1" > /dev/null 2>&1 || "$repo/.github/scripts/release-version.sh" "$version" > /dev/null 2>&1; then
  fail "release-version.sh accepts a tag that is not the version"
fi
grep -qx '## Unreleased' "$repo/CHANGELOG.md" || fail "CHANGELOG.md has no '## Unreleased' section"
"$repo/.github/scripts/release-notes.sh" "$version" > "$scratch/notes.md" || fail "CHANGELOG.md has no section for $version"
printf '# x\n\n## 2.0.0\n\n- two\n\n## [1.0.0]\n\n- one\n- more\n\n## 0.9.0\n\n' > "$scratch/CHANGELOG.md"
[ "$("$repo/.github/scripts/release-notes.sh" 1.0.0 "$scratch/CHANGELOG.md" | grep -c '^- ')" = 2 ] || fail "release-notes.sh does not cut its section"
if "$repo/.github/scripts/release-notes.sh" 0.9.0 "$scratch/CHANGELOG.md" > /dev/null 2>&1; then
  fail "release-notes.sh accepts an empty section"
fi

# The install step, dry: a release download, or cargo install of the action's commit.
out="$(PLANCHECK_ACTION_DRY_RUN=1 RUNNER_TEMP="$scratch" GITHUB_PATH="$scratch/path" PLANCHECK_REPOSITORY=city/plancheck PLANCHECK_VERSION=v1.2.3 "$repo/action/install.sh")"
case "$(uname -m)" in x86_64) target=x86_64-unknown-linux-gnu ;; aarch64) target=aarch64-unknown-linux-gnu ;; esac
echo "$out" | grep -qF "curl -fsSL https://github.com/city/plancheck/releases/download/v1.2.3/plancheck-$target.tar.gz | tar -xz -C $scratch/plancheck/bin" || fail "release download: $out"
out="$(PLANCHECK_ACTION_DRY_RUN=1 RUNNER_TEMP="$scratch" GITHUB_PATH="$scratch/path" PLANCHECK_REPOSITORY=city/plancheck PLANCHECK_REF=abc123 "$repo/action/install.sh")"
[ "$out" = "cargo install --locked --quiet --root $scratch/plancheck --git https://github.com/city/plancheck --rev abc123 plancheck" ] || fail "cargo install: $out"
[ "$(sort -u "$scratch/path")" = "$scratch/plancheck/bin" ] || fail "GITHUB_PATH: $(cat "$scratch/path")"

# The check step, on a plan repository with a baseline.
mkdir -p "$scratch/work/plans" "$scratch/bin"
cp "$repo"/examples/isesaki/*.plan "$scratch/work/plans/"
ln -s "$bin" "$scratch/bin/plancheck"
cd "$scratch/work"
"$bin" check plans --write-baseline plans/plancheck-baseline.json 2> /dev/null
export PATH="$scratch/bin:$PATH" GITHUB_STEP_SUMMARY="$scratch/summary.md"
PLANCHECK_PATHS=plans PLANCHECK_BASELINE=plans/plancheck-baseline.json "$repo/action/check.sh" > "$scratch/clean.txt" 2>&1 \
  || { cat "$scratch/clean.txt"; fail "the recorded plan fails the check"; }
python3 "$repo/tests/common/two_mistakes.py" plans/3-anzen.plan
: > "$GITHUB_STEP_SUMMARY"
set +e
PLANCHECK_PATHS=plans PLANCHECK_BASELINE=plans/plancheck-baseline.json PLANCHECK_LANG=en "$repo/action/check.sh" > "$scratch/new.txt" 2> "$scratch/new.err"
status=$?
set -e
cat "$scratch/new.txt"
[ "$status" -eq 1 ] || fail "two new warnings should fail the step (exit $status)"
annotations="$(grep -oE '^::(warning|error|notice) file=plans/3-anzen\.plan,[^:]*title=[a-z-]+' "$scratch/new.txt" | sed 's/.*title=//' | sort | tr '\n' ' ')"
[ "$annotations" = "duplicate-text rating-mismatch " ] || fail "annotations: [$annotations]"
[ "$(grep -c '^::' "$scratch/new.txt")" -eq 2 ] || fail "exactly two annotations"
grep -q "rating-mismatch" "$GITHUB_STEP_SUMMARY" && grep -q "duplicate-text" "$GITHUB_STEP_SUMMARY" || fail "the job summary: $(cat "$GITHUB_STEP_SUMMARY")"
# deny-warnings: false lets warnings through; a bad value is refused.
PLANCHECK_PATHS=plans PLANCHECK_BASELINE=plans/plancheck-baseline.json PLANCHECK_DENY_WARNINGS=false "$repo/action/check.sh" > /dev/null || fail "deny-warnings false"
set +e
PLANCHECK_DENY_WARNINGS=yes "$repo/action/check.sh" > /dev/null 2>&1
[ $? -eq 2 ] || fail "a bad deny-warnings value is refused"
set -e
echo "tests/action/run.sh: passed (schemas valid; install commands; check step: $annotations)"
