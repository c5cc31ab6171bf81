using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ModelOps.Core.Persistence.Postgres;

/// <summary>
/// Lets <c>dotnet ef</c> build the PostgreSQL context without a server (tools/add-migration.sh --postgres):
/// adding a migration reads only the model, never the database.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresModelOpsDbContext>
{
    public PostgresModelOpsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresModelOpsDbContext>()
            .UseNpgsql("Host=localhost;Database=modelops_design_time")
            .Options);
}
