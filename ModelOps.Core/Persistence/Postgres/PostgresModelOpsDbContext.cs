using Microsoft.EntityFrameworkCore;

namespace ModelOps.Core.Persistence.Postgres;

/// <summary>
/// The main database on PostgreSQL: the same model as <see cref="ModelOpsDbContext"/> with its own
/// migrations (Persistence/Postgres/Migrations), EF Core's "one context type per provider".
/// Services resolve it as <see cref="ModelOpsDbContext"/>.
/// </summary>
public sealed class PostgresModelOpsDbContext : ModelOpsDbContext
{
    public PostgresModelOpsDbContext(DbContextOptions<PostgresModelOpsDbContext> options)
        : base(options)
    {
    }

    /// <summary>Built from the options the app registers for <see cref="ModelOpsDbContext"/>.</summary>
    public PostgresModelOpsDbContext(DbContextOptions<ModelOpsDbContext> options)
        : base(options)
    {
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz holds an instant and Npgsql writes only offset 0: every time is normalised
        // to UTC on the way in (the app keeps UTC anyway; a caller's query bound with an offset
        // still compares correctly instead of failing).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }
}
