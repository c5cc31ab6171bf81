using ModelOps.Tests.Infrastructure;
using Npgsql;

namespace ModelOps.Tests.Persistence;

/// <summary>The throwaway PostgreSQL the multi-replica tests stand on: a database per caller, dropped after.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task Each_caller_gets_a_database_of_its_own_that_is_gone_after_the_drop()
    {
        var first = await PostgresServer.CreateDatabaseAsync("probe");
        var second = await PostgresServer.CreateDatabaseAsync("probe");
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var write = new NpgsqlCommand("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept');", connection);
            await write.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(second))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE tablename = 't'", connection);
            Assert.Equal(0L, await read.ExecuteScalarAsync());
        }

        await PostgresServer.DropDatabaseAsync(first);
        await PostgresServer.DropDatabaseAsync(second);
        await using var gone = new NpgsqlConnection(first);
        var error = await Assert.ThrowsAsync<PostgresException>(() => gone.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, error.SqlState);
    }
}
