#!/usr/bin/env bash
# Adds an EF Core migration to ModelOps.Core.
#   tools/add-migration.sh Name                    main database (ModelOpsDbContext, Persistence/Migrations)
#   tools/add-migration.sh --inference-log Name    inference log database (InferenceLogDbContext, Serving/Log/Migrations)
set -euo pipefail
cd "$(dirname "$0")/.."
context=ModelOpsDbContext
output=Persistence/Migrations
if [ "${1:-}" = "--inference-log" ]; then
  context=InferenceLogDbContext
  output=Serving/Log/Migrations
  shift
fi
if [ $# -ne 1 ]; then
  echo "usage: tools/add-migration.sh [--inference-log] Name" >&2
  exit 2
fi
dotnet tool restore >/dev/null
dotnet ef migrations add "$1" --context "$context" --project ModelOps.Core --startup-project ModelOps.Web --output-dir "$output"
