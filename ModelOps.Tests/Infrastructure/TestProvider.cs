using ModelOps.Core.Persistence;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// Which database the database-facing tests run on: SQLite unless <c>MODELOPS_TEST_PROVIDER=Postgres</c>
/// (test.sh's second pass), then a fresh PostgreSQL database per fixture from <see cref="PostgresServer"/>.
/// </summary>
public static class TestProvider
{
    public const string Variable = "MODELOPS_TEST_PROVIDER";

    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase);
}
