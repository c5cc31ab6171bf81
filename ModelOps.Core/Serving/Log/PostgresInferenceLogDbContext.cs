using Microsoft.EntityFrameworkCore;

namespace ModelOps.Core.Serving.Log;

/// <summary>
/// The inference log on PostgreSQL: the same model as <see cref="InferenceLogDbContext"/>, with
/// its own migrations (<c>Persistence/Postgres/InferenceLogMigrations</c>,
/// <c>tools/add-migration.sh --inference-log-postgres</c>) and the same history table name, so it
/// may share the main PostgreSQL database without its migrations mixing with the main context's.
/// </summary>
public sealed class PostgresInferenceLogDbContext : InferenceLogDbContext
{
    public PostgresInferenceLogDbContext(DbContextOptions<PostgresInferenceLogDbContext> options)
        : base(options)
    {
    }

    /// <summary>Built from the options the app registers for <see cref="InferenceLogDbContext"/>.</summary>
    public PostgresInferenceLogDbContext(DbContextOptions<InferenceLogDbContext> options)
        : base(options)
    {
    }
}
