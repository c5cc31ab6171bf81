using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Core.Persistence.Postgres;

/// <summary>
/// Lets <c>dotnet ef</c> build the PostgreSQL contexts without a server (tools/add-migration.sh
/// --postgres, --inference-log-postgres): adding a migration reads only the model, never the database.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresModelOpsDbContext>
{
    public PostgresModelOpsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresModelOpsDbContext>()
            .UseNpgsql("Host=localhost;Database=modelops_design_time")
            .Options);
}

/// <inheritdoc cref="PostgresDesignTimeFactory"/>
internal sealed class PostgresInferenceLogDesignTimeFactory : IDesignTimeDbContextFactory<PostgresInferenceLogDbContext>
{
    public PostgresInferenceLogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresInferenceLogDbContext>()
            .UseNpgsql("Host=localhost;Database=modelops_design_time", npgsql => npgsql.MigrationsHistoryTable(InferenceLogDbContext.MigrationsHistoryTable))
            .Options);
}
