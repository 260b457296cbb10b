#!/usr/bin/env bash
# Builds a platform-specific .vsix that bundles the plancheck binary:
#
#   scripts/package-platform.sh BINARY [TARGET]        (TARGET: linux-x64 by default;
#                                                        also win32-x64, darwin-arm64, ...)
#
# BINARY is copied to server/plancheck (server/plancheck.exe for win32-*), made
# executable, packaged with `vsce package --target TARGET --no-dependencies` into
# plancheck-TARGET-VERSION.vsix, and server/ is removed again (also on failure).
# The extension finds server/plancheck before looking at PATH (src/options.ts).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BINARY [TARGET=linux-x64]" >&2
  exit 2
fi
binary=$1
target=${2:-linux-x64}
here=$(cd "$(dirname "$0")/.." && pwd)

case $binary in /*) ;; *) binary=$(pwd)/$binary ;; esac
if [ ! -f "$binary" ]; then
  echo "$0: no binary at $binary" >&2
  exit 2
fi
case $target in
  win32-*) name=plancheck.exe ;;
  linux-* | darwin-* | alpine-*) name=plancheck ;;
  *) echo "$0: unknown target $target (e.g. linux-x64, win32-x64, darwin-arm64)" >&2; exit 2 ;;
esac

cd "$here"
version=$(node -p "require('./package.json').version")
out="plancheck-$target-$version.vsix"
if [ -e server ]; then
  echo "$0: $here/server already exists; remove it first" >&2
  exit 2
fi
trap 'rm -rf "$here/server"' EXIT
mkdir server
cp "$binary" "server/$name"
chmod 755 "server/$name"
# Debug information is no use to an office; strip the copy when the binary is
# for this machine's kind (strip cannot read foreign formats).
case $target in
  linux-*) if command -v strip >/dev/null 2>&1; then strip "server/$name"; fi ;;
esac

npm run --silent build
npx --no-install vsce package --target "$target" --no-dependencies -o "$out" \
  --baseImagesUrl https://github.com/plancheck/plancheck/raw/HEAD/editors/vscode \
  --baseContentUrl https://github.com/plancheck/plancheck/blob/HEAD/editors/vscode
echo "$out: $(du -h "$out" | cut -f1)"
