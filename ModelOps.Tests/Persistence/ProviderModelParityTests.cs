using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ModelOps.Core.Persistence;
using ModelOps.Core.Persistence.Postgres;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Persistence;

/// <summary>
/// SQLite's and PostgreSQL's migrations are generated apart (one context type per provider), so
/// nothing but these tests stops one from lagging the model: a mapping change needs a migration
/// for each (tools/add-migration.sh --both Name).
/// </summary>
public sealed class ProviderModelParityTests
{
    [Fact]
    public void Models_SqliteAndPostgres_SameTablesColumnsKeysIndexesAndNullability()
    {
        using var sqlite = SqliteContext();
        using var postgres = PostgresContext();

        var expected = Describe(sqlite.Model);
        var actual = Describe(postgres.Model);

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Migrations_Sqlite_CoverTheCurrentModel()
    {
        using var db = SqliteContext();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model snapshot lags the model: run tools/add-migration.sh --both Name.");
    }

    [Fact]
    public void Migrations_Postgres_CoverTheCurrentModel()
    {
        using var db = PostgresContext();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model snapshot lags the model: run tools/add-migration.sh --both Name.");
    }

    [Fact]
    public async Task Migrate_EmptyPostgresDatabase_CreatesEveryTableAndLeavesNothingPending()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("parity");
        try
        {
            await using var db = new PostgresModelOpsDbContext(new DbContextOptionsBuilder<PostgresModelOpsDbContext>().UseNpgsql(connectionString).Options);
            await db.Database.MigrateAsync();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var tables = await db.Database.SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").ToListAsync();
            Assert.Empty(db.Model.GetEntityTypes().Select(e => e.GetTableName()).Distinct().Except(tables));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static ModelOpsDbContext SqliteContext() =>
        new(new DbContextOptionsBuilder<ModelOpsDbContext>().UseSqlite("Data Source=:memory:").Options);

    // Building the model and reading the snapshot need no server.
    private static PostgresModelOpsDbContext PostgresContext() =>
        new(new DbContextOptionsBuilder<PostgresModelOpsDbContext>().UseNpgsql("Host=localhost;Database=parity").Options);

    /// <summary>One line per table, column, key, index and foreign key, in a fixed order.</summary>
    private static List<string> Describe(IModel model) => model.GetEntityTypes()
        .OrderBy(e => e.Name, StringComparer.Ordinal)
        .SelectMany(entity => new[] { $"{entity.Name} -> {entity.GetTableName()}" }
            .Concat(entity.GetProperties().Select(p =>
                $"{entity.Name}.{p.Name}: {p.ClrType.Name} column={p.GetColumnName()} nullable={p.IsColumnNullable()} maxLength={p.GetMaxLength()} concurrency={p.IsConcurrencyToken} generated={p.ValueGenerated}"))
            .Concat(entity.GetKeys().Select(k => $"{entity.Name} key({Columns(k.Properties)}) primary={k.IsPrimaryKey()}"))
            .Concat(entity.GetIndexes().Select(i => $"{entity.Name} index({Columns(i.Properties)}) unique={i.IsUnique} filtered={i.GetFilter() is not null}"))
            .Concat(entity.GetForeignKeys().Select(f =>
                $"{entity.Name} fk({Columns(f.Properties)}) -> {f.PrincipalEntityType.Name} onDelete={f.DeleteBehavior}")))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string Columns(IReadOnlyList<IReadOnlyProperty> properties) => string.Join(", ", properties.Select(p => p.Name));
}
