#!/usr/bin/env bash
# Adds an EF Core migration to ModelOps.Core.
#   tools/add-migration.sh Name                             main database (ModelOpsDbContext, Persistence/Migrations)
#   tools/add-migration.sh --inference-log Name             inference log database (InferenceLogDbContext, Serving/Log/Migrations)
#   tools/add-migration.sh --inference-log-postgres Name    the same on PostgreSQL (PostgresInferenceLogDbContext,
#                                                           Persistence/Postgres/InferenceLogMigrations); keep both in step
set -euo pipefail
cd "$(dirname "$0")/.."
context=ModelOpsDbContext
output=Persistence/Migrations
case "${1:-}" in
  --inference-log)
    context=InferenceLogDbContext
    output=Serving/Log/Migrations
    shift
    ;;
  --inference-log-postgres)
    context=PostgresInferenceLogDbContext
    output=Persistence/Postgres/InferenceLogMigrations
    # Generating a migration needs a connection string, not a reachable server.
    export ConnectionStrings__ModelOps="${ConnectionStrings__ModelOps:-Host=127.0.0.1;Database=modelops}"
    shift
    ;;
esac
if [ $# -ne 1 ]; then
  echo "usage: tools/add-migration.sh [--inference-log | --inference-log-postgres] Name" >&2
  exit 2
fi
dotnet tool restore >/dev/null
dotnet ef migrations add "$1" --context "$context" --project ModelOps.Core --startup-project ModelOps.Web --output-dir "$output"
