#!/usr/bin/env bash
# Installs what the tests need (Chromium for the browser tests) and runs every test.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
  fi
fi
dotnet restore ModelOps.sln
dotnet format ModelOps.sln --verify-no-changes --no-restore
dotnet build ModelOps.sln --no-restore -c Release
results="$(mktemp -d)"
status=0
dotnet test ModelOps.Tests/ModelOps.Tests.csproj --no-build -c Release --logger "console;verbosity=normal" \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?
trx="$results/results.trx"
if [ -f "$trx" ]; then
  passed=$( (grep -o 'outcome="Passed"' "$trx" || true) | wc -l)
  failed=$( (grep -o 'outcome="Failed"' "$trx" || true) | wc -l)
  echo "Tests: $passed passed, $failed failed"
fi
exit $status
