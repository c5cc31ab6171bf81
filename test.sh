#!/usr/bin/env bash
# Installs what the tests need (Chromium for the browser tests, promtool to check the
# /metrics exposition, PostgreSQL for the multi-replica mode), starts a throwaway PostgreSQL
# cluster on a loopback port (stopped on exit) and runs every test, then the database-facing
# tests a second time on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-liberation)
# promtool ships in Debian's 'prometheus' package; the tests use only that binary.
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
pgdir="$(mktemp -d)"
trap 'tools/pg-throwaway.sh stop "$pgdir"' EXIT
MODELOPS_TEST_POSTGRES="$(tools/pg-throwaway.sh start "$pgdir")"
export MODELOPS_TEST_POSTGRES
dotnet restore ModelOps.sln
dotnet format ModelOps.sln --verify-no-changes --no-restore
dotnet build ModelOps.sln --no-restore -c Release
results="$(mktemp -d)"
status=0
dotnet test ModelOps.Tests/ModelOps.Tests.csproj --no-build -c Release --logger "console;verbosity=normal" \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?
# Second pass: the database-facing tests again, each fixture on a fresh PostgreSQL database of
# its own (MODELOPS_TEST_PROVIDER). Browser tests stay out: they exercise the console, not the
# database, and are the slowest. Left out too until they are taught PostgreSQL: the restart and
# crash tests (RolloutCrash, RolloutRecovery, IncidentVerificationRestart), which restart the app
# or a child process on the same SQLite file. The filter is fixed; test.sh's arguments apply to the first pass.
postgres_filter="(FullyQualifiedName~ModelOps.Tests.Audit|FullyQualifiedName~ModelOps.Tests.Registry|FullyQualifiedName~ModelOps.Tests.Identity|FullyQualifiedName~ModelOps.Tests.Persistence|FullyQualifiedName~ModelOps.Tests.Incidents|FullyQualifiedName~ModelOps.Tests.Rollouts)&FullyQualifiedName!~Browser&FullyQualifiedName!~RolloutCrashTests&FullyQualifiedName!~RolloutRecoveryTests&FullyQualifiedName!~IncidentVerificationRestartTests"
MODELOPS_TEST_PROVIDER=Postgres dotnet test ModelOps.Tests/ModelOps.Tests.csproj --no-build -c Release --logger "console;verbosity=normal" \
  --logger "trx;LogFileName=postgres.trx" --results-directory "$results" --filter "$postgres_filter" || status=$?
passed=0
failed=0
for trx in "$results/results.trx" "$results/postgres.trx"; do
  [ -f "$trx" ] || continue
  pass="$(basename "$trx" .trx)"
  # Count test results only (the run summary carries an outcome attribute too).
  passed=$((passed + $( (grep -o '<UnitTestResult [^>]*outcome="Passed"' "$trx" || true) | wc -l)))
  failed_here=$( (grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" || true) | wc -l)
  failed=$((failed + failed_here))
  if [ "$failed_here" -gt 0 ]; then
    # Repeat each failure (name, message, top of the stack) at the end, where a truncated log keeps it.
    echo "Failed tests ($pass pass):"
    perl -0777 -ne '
      while (/<UnitTestResult\b([^>]*outcome="Failed"[^>]*)>(.*?)<\/UnitTestResult>/gs) {
        my ($attrs, $body) = ($1, $2);
        my ($name) = $attrs =~ /testName="([^"]*)"/;
        my ($msg) = $body =~ /<Message>(.*?)<\/Message>/s;
        my ($stack) = $body =~ /<StackTrace>(.*?)<\/StackTrace>/s;
        for ($name, $msg, $stack) { $_ //= ""; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/\x27/g; s/&amp;/&/g; }
        my @stack = (split /\n/, $stack)[0 .. 7];
        print "  FAILED $name\n    ", join("\n    ", split /\n/, $msg), "\n    ", join("\n    ", grep { defined } @stack), "\n";
      }' "$trx"
  fi
done
# Both passes: every test on SQLite, then the database-facing tests on PostgreSQL.
echo "Tests: $passed passed, $failed failed"
exit $status
