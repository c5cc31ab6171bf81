using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ModelOps.Core.Identity;

namespace ModelOps.Core.Persistence;

/// <summary>
/// One database for identity and domain state, so a state change and its audit row share
/// one transaction. Entity mappings live beside their capability as
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes. This type is the SQLite context (its
/// migrations are in Persistence/Migrations); <see cref="Postgres.PostgresModelOpsDbContext"/>
/// carries the PostgreSQL migrations, and services resolve either as this type.
/// </summary>
public class ModelOpsDbContext : IdentityDbContext<ModelOpsUser>
{
    public ModelOpsDbContext(DbContextOptions<ModelOpsDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type, which owns that provider's migrations.</summary>
    protected ModelOpsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ModelOpsDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native DateTimeOffset: stored as a sortable integer so range filters
        // and ORDER BY translate to SQL. All times are UTC, so the offset is always zero.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
