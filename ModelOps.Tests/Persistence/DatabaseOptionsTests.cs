using ModelOps.Core.Persistence;
using Npgsql;

namespace ModelOps.Tests.Persistence;

/// <summary>
/// <see cref="DatabaseOptions.Resolve"/>: every PostgreSQL connection string the app uses carries
/// the idle-in-transaction bound, so a replica stopped mid-transaction cannot hold the cluster's
/// locks for longer; an operator's own setting and SQLite are left alone.
/// </summary>
public sealed class DatabaseOptionsTests
{
    private const string Server = "Host=db;Database=modelops;Username=modelops";

    [Fact]
    public void Resolve_Postgres_BoundsBothConnectionStrings()
    {
        var options = new DatabaseOptions { Provider = DatabaseOptions.Postgres, IdleInTransactionTimeoutSeconds = 7 }
            .Resolve(Server, "Host=logs;Database=log");

        Assert.Equal("-c idle_in_transaction_session_timeout=7s", new NpgsqlConnectionStringBuilder(options.ConnectionString).Options);
        Assert.Equal("-c idle_in_transaction_session_timeout=7s", new NpgsqlConnectionStringBuilder(options.InferenceLogConnectionString).Options);
    }

    [Fact]
    public void Resolve_PostgresWithOtherServerOptions_KeepsThemAndAddsTheBound()
    {
        var options = new DatabaseOptions { Provider = DatabaseOptions.Postgres }.Resolve($"{Server};Options=-c statement_timeout=5s", null);

        Assert.Equal("-c statement_timeout=5s -c idle_in_transaction_session_timeout=30s", new NpgsqlConnectionStringBuilder(options.ConnectionString).Options);
        Assert.Null(options.InferenceLogConnectionString);
    }

    [Theory]
    [InlineData(DatabaseOptions.Postgres, 30, $"{Server};Options=-c idle_in_transaction_session_timeout=5min")]
    [InlineData(DatabaseOptions.Postgres, 0, Server)]
    [InlineData(DatabaseOptions.Sqlite, 30, "Data Source=/tmp/modelops.db")]
    public void Resolve_OperatorsOwnBoundOffOrSqlite_LeavesTheConnectionStringAsGiven(string provider, int seconds, string connectionString)
    {
        var options = new DatabaseOptions { Provider = provider, IdleInTransactionTimeoutSeconds = seconds }.Resolve(connectionString, null);

        Assert.Equal(connectionString, options.ConnectionString);
    }

    [Fact]
    public void Resolve_SectionHasItsOwnConnectionString_KeepsItOverConnectionStrings()
    {
        var options = new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = "Host=own", IdleInTransactionTimeoutSeconds = 0 }.Resolve(Server, null);

        Assert.Equal("Host=own", options.ConnectionString);
    }
}
