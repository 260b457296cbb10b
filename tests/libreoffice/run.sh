#!/bin/sh
# An .xlsx written by `plancheck export` opened by another implementation:
# LibreOffice (headless) converts it to CSV without error, and `plancheck import`
# of that CSV finds every 施策, 指標 and 展開 of the example plan again; and the
# copy `plancheck check --annotate` writes of it opens with every cell unchanged.
#
#   tests/libreoffice/run.sh [PLANCHECK_BINARY]    (default: target/debug/plancheck)
#
# Needs soffice (Debian: apt-get install -y --no-install-recommends libreoffice-calc-nogui).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/target/debug/plancheck}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if ! command -v soffice >/dev/null 2>&1; then
  echo "tests/libreoffice/run.sh: soffice not found (apt-get install -y --no-install-recommends libreoffice-calc-nogui)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bin" export "$repo/examples/isesaki" --to xlsx -o "$tmp/plan.xlsx"
# CSV, comma-separated, double quotes, UTF-8 (filter options 44,34,76).
HOME="$tmp" timeout 180 soffice --headless --norestore --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir "$tmp" "$tmp/plan.xlsx" > "$tmp/soffice.log" 2>&1 || {
  echo "FAIL: LibreOffice could not convert the workbook:" >&2
  cat "$tmp/soffice.log" >&2
  exit 1
}
if [ ! -s "$tmp/plan.csv" ]; then
  echo "FAIL: LibreOffice wrote no CSV" >&2
  cat "$tmp/soffice.log" >&2
  exit 1
fi
"$bin" import "$tmp/plan.csv" -o "$tmp/back.plan" 2> "$tmp/import.log"
expected=$("$bin" export "$repo/examples/isesaki" --to csv -o "$tmp/direct.csv" && "$bin" import "$tmp/direct.csv" -o "$tmp/direct.plan" 2>&1 | tail -n 1 | sed 's/^[^:]*: //')
got=$(tail -n 1 "$tmp/import.log" | sed 's/^[^:]*: //')
if [ "$got" != "$expected" ]; then
  echo "FAIL: through LibreOffice: $got; directly: $expected" >&2
  exit 1
fi
# The comments name the source file and its rows (the workbook has a second header row).
grep -v '^ *#' "$tmp/back.plan" > "$tmp/back.bare"
grep -v '^ *#' "$tmp/direct.plan" > "$tmp/direct.bare"
if ! cmp -s "$tmp/back.bare" "$tmp/direct.bare"; then
  echo "FAIL: the plan read back through LibreOffice differs from the one read directly:" >&2
  diff "$tmp/direct.bare" "$tmp/back.bare" | head -n 20 >&2
  exit 1
fi
# The copy `check --annotate` writes: LibreOffice opens it, its first sheet's
# cells are exactly the original's (the same CSV), and saved again by
# LibreOffice it imports to the same counts (the findings sheet left out).
status=0
"$bin" check "$tmp/plan.xlsx" --annotate "$tmp/annotated.xlsx" > /dev/null 2> "$tmp/annotate.log" || status=$?
if [ "$status" -gt 1 ] || [ ! -s "$tmp/annotated.xlsx" ]; then
  echo "FAIL: check --annotate wrote no workbook (exit $status):" >&2
  cat "$tmp/annotate.log" >&2
  exit 1
fi
mkdir "$tmp/annotated"
HOME="$tmp" timeout 180 soffice --headless --norestore --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir "$tmp/annotated" "$tmp/annotated.xlsx" > "$tmp/soffice.log" 2>&1 || {
  echo "FAIL: LibreOffice could not open the annotated workbook:" >&2
  cat "$tmp/soffice.log" >&2
  exit 1
}
if ! cmp -s "$tmp/plan.csv" "$tmp/annotated/annotated.csv"; then
  echo "FAIL: the annotated workbook's cells differ from the original's (as LibreOffice reads them):" >&2
  diff "$tmp/plan.csv" "$tmp/annotated/annotated.csv" | head -n 20 >&2
  exit 1
fi
HOME="$tmp" timeout 180 soffice --headless --norestore --convert-to xlsx --outdir "$tmp/annotated" "$tmp/annotated.xlsx" > "$tmp/soffice.log" 2>&1 || {
  echo "FAIL: LibreOffice could not save the annotated workbook again:" >&2
  cat "$tmp/soffice.log" >&2
  exit 1
}
resaved=$("$bin" import "$tmp/annotated/annotated.xlsx" -o "$tmp/resaved.plan" 2>&1 | tail -n 1 | sed 's/^[^:]*: //')
if [ "$resaved" != "$expected" ]; then
  echo "FAIL: the annotated workbook saved by LibreOffice: $resaved; directly: $expected" >&2
  exit 1
fi
echo "tests/libreoffice/run.sh: passed ($(soffice --version 2>/dev/null | head -n 1); $got; $(tail -n 1 "$tmp/annotate.log" | sed "s/^[^:]*: //"))"
