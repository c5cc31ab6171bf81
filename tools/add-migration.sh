#!/usr/bin/env bash
# Adds an EF Core migration to ModelOps.Core (usage: tools/add-migration.sh Name).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet ef migrations add "$1" --project ModelOps.Core --startup-project ModelOps.Web --output-dir Persistence/Migrations
