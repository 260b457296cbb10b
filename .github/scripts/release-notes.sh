#!/usr/bin/env bash
# Prints a version's section of CHANGELOG.md (the lines under `## VERSION`,
# up to the next `## `), for the release's notes; fails when there is none or
# it is empty.
#
#   .github/scripts/release-notes.sh VERSION [CHANGELOG]
set -euo pipefail
version=${1:?usage: $0 VERSION [CHANGELOG]}
changelog=${2:-$(cd "$(dirname "$0")/../.." && pwd)/CHANGELOG.md}
notes=$(awk -v v="$version" '
  /^## / { if (found) exit; split($0, w, " "); if (w[2] == v || w[2] == "[" v "]") { found = 1; next } }
  found { print }
' "$changelog")
if [ -z "$(printf '%s' "$notes" | tr -d '[:space:]')" ]; then
  echo "release-notes: $changelog has no section \`## $version\` (or it is empty)" >&2
  exit 1
fi
printf '%s\n' "$notes"
