using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>The log's two migration sets: each in step with the model, and the two alike.</summary>
public sealed class InferenceLogMigrationsTests
{
    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Migrations_OfEachProvider_CoverTheModel(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await using var db = log.NewContext();

        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: run tools/add-migration.sh for the inference log");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migrations_SqliteAndPostgres_DescribeTheSameTablesColumnsAndIndexes()
    {
        await using var sqlite = await MigratedInferenceLog.CreateAsync(MigratedInferenceLog.Sqlite, migrate: false);
        await using var postgres = await MigratedInferenceLog.CreateAsync(MigratedInferenceLog.Postgres, migrate: false);

        Assert.Equal(Shape(sqlite), Shape(postgres));
    }

    /// <summary>Tables, columns (name, CLR type, nullability) and indexes of the last migration's snapshot.</summary>
    private static List<string> Shape(MigratedInferenceLog log)
    {
        using var db = log.NewContext();
        var model = db.GetService<IMigrationsAssembly>().ModelSnapshot!.Model; // Both providers have migrations.
        var shape = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.GetTableName()))
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            shape.AddRange(entity.GetProperties().Select(p => $"{table.Name}.{p.GetColumnName(table)}:{p.ClrType.Name}:{(p.IsNullable ? "null" : "not null")}").Order());
            shape.AddRange(entity.GetIndexes().Select(i => $"{table.Name} index {i.GetDatabaseName()} ({string.Join(',', i.Properties.Select(p => p.Name))})").Order());
        }

        return shape;
    }
}
