#!/usr/bin/env bash
# Adds an EF Core migration to ModelOps.Core.
#   tools/add-migration.sh Name                             main database on SQLite (ModelOpsDbContext, Persistence/Migrations)
#   tools/add-migration.sh --postgres Name                  main database on PostgreSQL (PostgresModelOpsDbContext, Persistence/Postgres/Migrations)
#   tools/add-migration.sh --both Name                      both of the above, with one name
#   tools/add-migration.sh --inference-log Name             inference log database (InferenceLogDbContext, Serving/Log/Migrations)
#   tools/add-migration.sh --inference-log-postgres Name    the same on PostgreSQL (PostgresInferenceLogDbContext,
#                                                           Persistence/Postgres/InferenceLogMigrations); keep both in step
# A change to a model needs both its SQLite and its PostgreSQL migration; ProviderModelParityTests
# and the log's parity test fail while either lags the model.
set -euo pipefail
cd "$(dirname "$0")/.."
contexts=(ModelOpsDbContext)
outputs=(Persistence/Migrations)
case "${1:-}" in
  --inference-log) contexts=(InferenceLogDbContext); outputs=(Serving/Log/Migrations); shift ;;
  --inference-log-postgres) contexts=(PostgresInferenceLogDbContext); outputs=(Persistence/Postgres/InferenceLogMigrations); shift ;;
  --postgres) contexts=(PostgresModelOpsDbContext); outputs=(Persistence/Postgres/Migrations); shift ;;
  --both)
    contexts=(ModelOpsDbContext PostgresModelOpsDbContext)
    outputs=(Persistence/Migrations Persistence/Postgres/Migrations)
    shift ;;
esac
if [ $# -ne 1 ]; then
  echo "usage: tools/add-migration.sh [--postgres|--both|--inference-log|--inference-log-postgres] Name" >&2
  exit 2
fi
dotnet tool restore >/dev/null
for i in "${!contexts[@]}"; do
  dotnet ef migrations add "$1" --context "${contexts[$i]}" --project ModelOps.Core --startup-project ModelOps.Web --output-dir "${outputs[$i]}"
done
