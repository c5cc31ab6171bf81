using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>A main database as versions before the log's own database left it: migrated up to the migration that drops the log tables.</summary>
internal static class LegacyLayout
{
    /// <summary>The main context's migration that drops InferenceLog and InferenceFeedback.</summary>
    public const string DropMigration = "InferenceLogOwnDatabase";

    public static async Task MigrateBeforeTheMoveAsync(MigratedSqliteFile main)
    {
        await using var db = main.NewContext();
        var migrations = db.Database.GetMigrations().ToList();
        var drop = migrations.FindIndex(m => m.EndsWith("_" + DropMigration, StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(migrations[drop - 1]);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public static async Task<IReadOnlyList<string>> TablesAsync(string connectionString)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'Inference%' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
