#!/usr/bin/env bash
# Prints the version a release tag names (v0.1.0 → 0.1.0), after checking that
# Cargo.toml's workspace version and the VS Code extension's agree with it.
#
#   .github/scripts/release-version.sh TAG [REPOSITORY_ROOT]
set -euo pipefail
tag=${1:?usage: $0 TAG [ROOT]}
root=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
case $tag in
  v[0-9]*.[0-9]*.[0-9]*) version=${tag#v} ;;
  *) echo "release-version: the tag $tag is not vX.Y.Z" >&2; exit 1 ;;
esac
cargo=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
extension=$(sed -n 's/^ *"version": *"\(.*\)",*$/\1/p' "$root/editors/vscode/package.json" | head -n 1)
if [ "$cargo" != "$version" ] || [ "$extension" != "$version" ]; then
  echo "release-version: the tag says $version, Cargo.toml $cargo, editors/vscode/package.json $extension" >&2
  exit 1
fi
echo "$version"
