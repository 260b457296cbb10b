#!/usr/bin/env bash
# The Action's check step: `plancheck check --format github` over the inputs.
# Findings become workflow annotations, and every finding is listed in the job
# summary ($GITHUB_STEP_SUMMARY); the step fails on errors (and on warnings
# unless PLANCHECK_DENY_WARNINGS is "false").
set -euo pipefail

args=(check --format github --lang "${PLANCHECK_LANG:-ja}")
if [ -n "${PLANCHECK_BASELINE:-}" ]; then
  args+=(--baseline "$PLANCHECK_BASELINE")
fi
case "${PLANCHECK_DENY_WARNINGS:-true}" in
  true) args+=(--deny warnings) ;;
  false) ;;
  *) echo "plancheck: deny-warnings must be \"true\" or \"false\", not \"$PLANCHECK_DENY_WARNINGS\"" >&2; exit 2 ;;
esac
read -r -a paths <<< "${PLANCHECK_PATHS:-.}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
exec plancheck "${args[@]}" "${paths[@]}"
