using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Npgsql;

namespace ModelOps.Core.Persistence;

/// <summary>The <c>ModelOps:Database</c> section.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "ModelOps:Database";

    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>Postgres</c>.</summary>
    [Required]
    [RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "ModelOps:Database:Provider must be Sqlite or Postgres.")]
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// From <c>ConnectionStrings:ModelOps</c>; for SQLite, empty means a file under the data
    /// directory; PostgreSQL needs one (an Npgsql connection string).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// From <c>ConnectionStrings:InferenceLog</c>; empty means its own file under the data directory,
    /// so request logging never holds the main database's write lock.
    /// </summary>
    public string? InferenceLogConnectionString { get; set; }

    /// <summary>
    /// On PostgreSQL, how long a session of this app may sit idle inside a transaction before the
    /// server ends it (<c>idle_in_transaction_session_timeout</c>, set on every connection the app
    /// opens); 0 leaves the server's own setting. A replica stopped mid-transaction (SIGSTOP, a long
    /// GC pause, a frozen VM) otherwise keeps its locks — the audit chain's advisory lock, Quartz's
    /// <c>qrtz_locks</c> rows — for as long as it is stopped, and every other replica's audited
    /// actions, rollbacks included, wait on it. The app's own transactions never wait on itself
    /// between statements for more than a moment, so 30 s only ends a stalled one.
    /// </summary>
    [Range(0, 86_400)]
    public int IdleInTransactionTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Completes the bound section: connection strings from <c>ConnectionStrings:ModelOps</c> and
    /// <c>ConnectionStrings:InferenceLog</c> when the section has none, and on PostgreSQL the session
    /// limits every connection carries (<see cref="IdleInTransactionTimeoutSeconds"/>). The one place
    /// connection strings are finished: EF's contexts, the inference log, the routing listener, the
    /// replica metrics and Quartz all read the result.
    /// </summary>
    public DatabaseOptions Resolve(string? modelOps, string? inferenceLog)
    {
        ConnectionString ??= modelOps;
        InferenceLogConnectionString ??= inferenceLog;
        if (Provider == Postgres)
        {
            ConnectionString = Bounded(ConnectionString);
            InferenceLogConnectionString = Bounded(InferenceLogConnectionString);
        }

        return this;
    }

    private string? Bounded(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString) || IdleInTransactionTimeoutSeconds == 0)
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // An operator's own -c for the same setting (in Options) wins over ours.
        if (builder.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) == true)
        {
            return connectionString;
        }

        var option = string.Create(CultureInfo.InvariantCulture, $"-c idle_in_transaction_session_timeout={IdleInTransactionTimeoutSeconds}s");
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? option : $"{builder.Options} {option}";
        return builder.ConnectionString;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "ModelOps:Database:Provider is Postgres but ConnectionStrings:ModelOps is empty; set it to an Npgsql connection string (Host=…;Database=…;Username=…;Password=…).",
                [nameof(ConnectionString)]);
        }
    }
}
