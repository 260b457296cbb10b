#!/usr/bin/env bash
# CI of the VS Code extension: install, typecheck, lint, test, build, package, and check
# what each .vsix contains.
#
#   editors/vscode/ci.sh [PLANCHECK_BINARY]
#
# With a binary, the tests against the real server run too (vitest, PLANCHECK_BIN)
# and the linux-x64 platform package is built with it. Fails on the first failed step.
set -euo pipefail

binary=${1:-}
if [ -n "$binary" ]; then
  case $binary in /*) ;; *) binary=$(pwd)/$binary ;; esac
  if [ ! -x "$binary" ]; then
    echo "ci.sh: no executable plancheck binary at $binary" >&2
    exit 2
  fi
fi
cd "$(dirname "$0")"

for tool in node npm unzip zipinfo; do
  command -v "$tool" >/dev/null || { echo "ci.sh: $tool is needed" >&2; exit 2; }
done

step() { printf '\n==> %s\n' "$*"; }

step "node $(node --version), npm $(npm --version)"
rm -rf server dist ./*.vsix

step "npm ci"
npm ci --no-audit --no-fund

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "test"
if [ -n "$binary" ]; then
  PLANCHECK_BIN=$binary npm test
else
  echo "(no binary given: the tests against the real server are skipped)"
  npm test
fi

step "build"
npm run --silent build

version=$(node -p "require('./package.json').version")
universal=plancheck-$version.vsix
platform=plancheck-linux-x64-$version.vsix

step "package (universal)"
npm run --silent package

if [ -n "$binary" ]; then
  step "package (linux-x64, bundling $binary)"
  bash scripts/package-platform.sh "$binary" linux-x64
fi

step "check the .vsix contents"
required=(
  extension/package.json
  extension/dist/extension.js
  extension/syntaxes/plan.tmLanguage.json
  extension/language-configuration.json
  extension/icon.png
  extension/readme.md
  extension/LICENSE.txt
)
check_vsix() {
  local file=$1 platform=$2 names missing=0
  names=$(unzip -Z1 "$file")
  for path in "${required[@]}"; do
    if ! grep -qxF "$path" <<<"$names"; then
      echo "  $file: missing $path" >&2
      missing=1
    fi
  done
  if grep -E '(^|/)node_modules/|^extension/src/|\.ts$|^extension/test/|^extension/scripts/' <<<"$names"; then
    echo "  $file: contains files that must not be shipped (above)" >&2
    missing=1
  fi
  if [ "$platform" = yes ]; then
    if ! grep -qxF extension/server/plancheck <<<"$names"; then
      echo "  $file: missing extension/server/plancheck" >&2
      missing=1
    elif ! zipinfo "$file" extension/server/plancheck | grep -q '^-rwx'; then
      echo "  $file: extension/server/plancheck is not executable:" >&2
      zipinfo "$file" extension/server/plancheck >&2
      missing=1
    fi
  elif grep -q '^extension/server/' <<<"$names"; then
    echo "  $file: the universal package must not bundle a binary" >&2
    missing=1
  fi
  if [ "$missing" -ne 0 ]; then
    unzip -l "$file" >&2
    return 1
  fi
  echo "  $file: ok ($(wc -l <<<"$names") files)"
}
check_vsix "$universal" no
if [ -n "$binary" ]; then
  check_vsix "$platform" yes
fi

step "sizes"
for f in ./*.vsix; do
  printf '  %-34s %10s bytes (%s)\n' "${f#./}" "$(stat -c %s "$f")" "$(du -h "$f" | cut -f1)"
done
echo
echo "ci.sh: passed"
