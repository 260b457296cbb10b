#!/usr/bin/env bash
# The Action's install step: puts `plancheck` on the job's PATH.
#
# PLANCHECK_VERSION set: downloads that release's archive for this runner
# (plancheck-<target>.tar.gz from the repository's GitHub releases; on Windows
# plancheck-x86_64-pc-windows-msvc.zip, untested outside GitHub).
# Empty: builds the action's own commit (PLANCHECK_REPOSITORY at PLANCHECK_REF)
# with `cargo install`, as pre-commit does; PLANCHECK_SOURCE=DIR builds a local
# checkout instead. PLANCHECK_ACTION_DRY_RUN=1 prints the command instead of
# running it (tests/action/run.sh).
set -euo pipefail

root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/plancheck"
run() {
  if [ "${PLANCHECK_ACTION_DRY_RUN:-}" = 1 ]; then echo "$*"; else "$@"; fi
}

if [ -n "${PLANCHECK_VERSION:-}" ]; then
  version="${PLANCHECK_VERSION#v}"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
    Linux-aarch64) target=aarch64-unknown-linux-gnu ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc ;;
    *) echo "plancheck: no release build for $(uname -s) $(uname -m); leave 'version' empty to build it" >&2; exit 1 ;;
  esac
  base="https://github.com/${PLANCHECK_REPOSITORY:?the action repository}/releases/download/v$version/plancheck-$target"
  run mkdir -p "$root/bin"
  case $target in
    *-windows-*)
      # A .zip: downloaded, then unpacked by the runner's tar (bsdtar reads zip).
      run curl -fsSL -o "$root/plancheck.zip" "$base.zip"
      run tar -xf "$root/plancheck.zip" -C "$root/bin"
      ;;
    *)
      if [ "${PLANCHECK_ACTION_DRY_RUN:-}" = 1 ]; then
        echo "curl -fsSL $base.tar.gz | tar -xz -C $root/bin"
      else
        curl -fsSL "$base.tar.gz" | tar -xz -C "$root/bin"
      fi
      ;;
  esac
elif [ -n "${PLANCHECK_SOURCE:-}" ]; then
  run cargo install --locked --quiet --root "$root" --path "$PLANCHECK_SOURCE"
else
  run cargo install --locked --quiet --root "$root" --git "https://github.com/${PLANCHECK_REPOSITORY:?the action repository}" --rev "${PLANCHECK_REF:?the action ref}" plancheck
fi
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$root/bin" >> "$GITHUB_PATH"
fi
