#!/bin/sh
# The HTML report in a real browser: headless Chromium loads the report of the
# example plan plus a plan whose title and department hold HTML (a <script>, an
# <img onerror>). Fails if the injected code ran, if the page logged anything to
# the console (a script error, a refused resource), or if no screenshot came.
#
#   tests/report/run.sh [PLANCHECK_BINARY]     (default: target/debug/plancheck)
#
# Needs chromium (Debian: apt-get install -y --no-install-recommends chromium).
# The screenshots (1100 px, and a phone's 390 px) and the A4 print are left in
# ${PLANCHECK_REPORT_OUT:-target/report-test}/ (report.png, report-phone.png, report-a4.pdf).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:-$repo/target/debug/plancheck}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
out=${PLANCHECK_REPORT_OUT:-$repo/target/report-test}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "tests/report/run.sh: chromium not found (apt-get install -y --no-install-recommends chromium)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/plans" "$out"
cp "$repo"/examples/isesaki/*.plan "$tmp/plans/"
cat > "$tmp/plans/injected.plan" <<'PLAN'
施策 9-9-9 <script>document.body.setAttribute('data-injected','script');console.error('injected')</script> {
  全体評価: A
  自己評価: </p><b onmouseover=alert(1)>太字</b>
  代表課: <img src=x onerror="document.body.setAttribute('data-injected','img')">
}
PLAN

"$bin" report "$tmp/plans" -o "$tmp/report.html"

flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --enable-logging=stderr --v=0 --dump-dom "file://$tmp/report.html" > "$tmp/dom.html" 2> "$tmp/log.txt"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --window-size=1100,1600 --screenshot="$out/report.png" "file://$tmp/report.html" > /dev/null 2>&1

fail=0
# The injected code would mark <body>; the same words inside the text are escaped.
if grep -q '<body[^>]*data-injected' "$tmp/dom.html"; then
  echo "FAIL: the injected code ran: $(grep -o '<body[^>]*>' "$tmp/dom.html")" >&2
  fail=1
fi
if grep -q ':CONSOLE' "$tmp/log.txt"; then
  echo "FAIL: the page logged to the console:" >&2
  grep ':CONSOLE' "$tmp/log.txt" >&2
  fail=1
fi
if ! grep -q '9-9-9</span> &lt;script&gt;document.body.setAttribute' "$tmp/dom.html"; then
  echo "FAIL: the injected title is not shown as text" >&2
  fail=1
fi
if ! grep -q 'id="m1-1-1"' "$tmp/dom.html"; then
  echo "FAIL: the report of the example plan did not load (no 施策 1-1-1)" >&2
  fail=1
fi
if [ ! -s "$out/report.png" ]; then
  echo "FAIL: no screenshot" >&2
  fail=1
fi

# A name with a right-to-left override (U+202E) is shown as <U+202E>, not obeyed;
# a long unbroken word wraps inside its cell: measured in a copy of the report
# without its CSP and with a script that marks <body> if the page is wider
# than the window.
mkdir -p "$tmp/wide"
long=$(printf '%0400d' 0)
printf '施策 9-9-8 \342\200\256まちづくり {\n  全体評価: A\n  代表課: 課\n  指標 %s {\n    実績: 5人\n    目標: 5人\n    定量評価: A\n  }\n}\n' "$long" > "$tmp/wide/wide.plan"
# 600-character titles in the headings (基本政策 <h2>, 政策 <h3>) and the 施策's card.
title=$(printf '%0600d' 0 | tr 0 W)
printf '基本政策 8 %s {\n  政策 8-1 %s {\n    施策 8-1-1 %s {\n      全体評価: A\n      代表課: %s\n    }\n  }\n}\n' "$title" "$title" "$title" "$title" > "$tmp/wide/titles.plan"
"$bin" report "$tmp/wide" -o "$tmp/wide.html"
if grep -q "$(printf '\342\200\256')" "$tmp/wide.html"; then
  echo "FAIL: a raw U+202E is in the report" >&2
  fail=1
fi
if ! grep -q '&lt;U+202E&gt;まちづくり' "$tmp/wide.html"; then
  echo "FAIL: the U+202E in the name is not shown as <U+202E>" >&2
  fail=1
fi
sed -e '/Content-Security-Policy/d' -e 's|</body>|<script>document.body.setAttribute("data-overflow", String(document.documentElement.scrollWidth > window.innerWidth))</script></body>|' "$tmp/wide.html" > "$tmp/wide-measured.html"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --window-size=1100,1600 --dump-dom "file://$tmp/wide-measured.html" > "$tmp/wide-dom.html" 2> /dev/null
if ! grep -q 'data-overflow="false"' "$tmp/wide-dom.html"; then
  echo "FAIL: a long word (in a cell, a heading or a 施策's card) makes the report wider than the window: $(grep -o '<body[^>]*>' "$tmp/wide-dom.html")" >&2
  fail=1
fi
# The example's report at a phone's width (390 px) is no wider than the
# screen, and it prints on A4 (a PDF of several pages, Japanese text in it).
"$bin" report "$tmp/plans" -o "$tmp/example.html" --date 2026年12月6日
sed -e '/Content-Security-Policy/d' -e 's|</body>|<script>document.body.setAttribute("data-overflow", String(document.documentElement.scrollWidth > window.innerWidth))</script></body>|' "$tmp/example.html" > "$tmp/phone-measured.html"
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --window-size=390,844 --dump-dom "file://$tmp/phone-measured.html" > "$tmp/phone-dom.html" 2> /dev/null
if ! grep -q 'data-overflow="false"' "$tmp/phone-dom.html"; then
  echo "FAIL: at a phone's width (390 px) the report is wider than the screen" >&2
  fail=1
fi
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --window-size=390,844 --screenshot="$out/report-phone.png" "file://$tmp/example.html" > /dev/null 2>&1
# shellcheck disable=SC2086
timeout 120 "$browser" $flags --no-pdf-header-footer --print-to-pdf="$out/report-a4.pdf" "file://$tmp/example.html" > /dev/null 2>&1
pages=$(grep -a -o '/Type /Pages*' "$out/report-a4.pdf" 2>/dev/null | grep -c 'Page$' || true)
pages=${pages:-0}
if [ "$pages" -lt 3 ]; then
  echo "FAIL: the A4 print has $pages pages (expected the summary page, then the 施策)" >&2
  fail=1
fi
# The first page is the summary: the page break after it is in the print styles.
if ! grep -q 'section.summary { break-after: page; }' "$tmp/example.html"; then
  echo "FAIL: no page break after the summary" >&2
  fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "tests/report/run.sh: passed ($("$browser" --version 2>/dev/null | head -n 1); $pages A4 pages; screenshots $out/report.png, $out/report-phone.png)"
