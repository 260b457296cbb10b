#!/bin/sh
# An .xlsx written by `plancheck export` opened by another implementation:
# LibreOffice (headless) converts it to CSV without error, and `plancheck import`
# of that CSV finds every 施策, 指標 and 展開 of the example plan again; and the
# copy `plancheck check --annotate` writes of it opens with every cell unchanged.
#
#   tests/libreoffice/run.sh [PLANCHECK_BINARY] [FOLDER]    (default: target/debug/plancheck)
#
# With FOLDER, every .xlsx in it is annotated too (`check --annotate`), and
# each of its sheets, as LibreOffice reads it (one CSV per sheet), is the same
# in the copy as in the original. (`PLANCHECK_CITIES_OUT=FOLDER cargo test
# --test cities` writes the invented cities' workbooks there.)
#
# Needs soffice (Debian: apt-get install -y --no-install-recommends libreoffice-calc-nogui).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/target/debug/plancheck}
books=${2:-}
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
# Every sheet of each workbook given, in the annotated copy as in the original.
# (CSV options: the 12th token, -1, writes one file per sheet.)
per_sheet='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
annotated_books=0
if [ -n "$books" ]; then
  for book in "$books"/*.xlsx; do
    [ -e "$book" ] || continue
    name=$(basename "$book" .xlsx)
    mkdir -p "$tmp/books/$name/original" "$tmp/books/$name/annotated"
    cp "$book" "$tmp/books/$name/original/$name.xlsx"
    status=0
    "$bin" check "$book" --annotate "$tmp/books/$name/annotated/$name.xlsx" > /dev/null 2> "$tmp/annotate-book.log" || status=$?
    if [ "$status" -gt 1 ]; then
      echo "FAIL: check --annotate $book exited $status:" >&2
      cat "$tmp/annotate-book.log" >&2
      exit 1
    fi
    for side in original annotated; do
      HOME="$tmp" timeout 180 soffice --headless --norestore --convert-to "$per_sheet" --outdir "$tmp/books/$name/$side/csv" "$tmp/books/$name/$side/$name.xlsx" > "$tmp/soffice.log" 2>&1 || {
        echo "FAIL: LibreOffice could not read the $side $name.xlsx:" >&2
        cat "$tmp/soffice.log" >&2
        exit 1
      }
    done
    sheets=0
    for csv in "$tmp/books/$name/original/csv"/*.csv; do
      sheets=$((sheets + 1))
      if ! cmp -s "$csv" "$tmp/books/$name/annotated/csv/$(basename "$csv")"; then
        echo "FAIL: $name.xlsx: sheet $(basename "$csv") differs in the annotated copy:" >&2
        diff "$csv" "$tmp/books/$name/annotated/csv/$(basename "$csv")" | head -n 20 >&2
        exit 1
      fi
    done
    if [ "$sheets" -eq 0 ] || [ ! -e "$tmp/books/$name/annotated/csv/$name-plancheck指摘.csv" ]; then
      echo "FAIL: $name.xlsx: LibreOffice read $sheets sheets, or no findings sheet in the copy" >&2
      ls "$tmp/books/$name/annotated/csv" >&2
      exit 1
    fi
    annotated_books=$((annotated_books + 1))
  done
  if [ "$annotated_books" -eq 0 ]; then
    echo "FAIL: no .xlsx in $books" >&2
    exit 1
  fi
fi
echo "tests/libreoffice/run.sh: passed ($(soffice --version 2>/dev/null | head -n 1); $got; $(tail -n 1 "$tmp/annotate.log" | sed "s/^[^:]*: //"); $annotated_books workbooks annotated, every sheet unchanged)"
