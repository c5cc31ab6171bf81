using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ModelOps.Core.Serving.Log;

/// <summary>
/// Versions before the inference log had its own database kept <c>InferenceLog</c> and
/// <c>InferenceFeedback</c> in the main one. At the first start after the upgrade — the log's
/// database migrated, the main one not yet (its next migration drops the two tables) — their
/// rows are copied over in one transaction, ids included (the reader breaks ties by id).
/// <para>
/// Copies only into an empty log: a process that dies after the copy commits but before the main
/// migration drops the old tables finds the log filled at the next start and copies nothing twice.
/// The log cannot hold rows of its own by then: the copy runs before anything serves.
/// </para>
/// </summary>
public static class LegacyInferenceLogCopy
{
    // The schema did not change in the move: the same columns, in both files.
    private const string LogColumns = """
        Id, RequestId, At, Model, Version, Encoder, Arm, RoutingKey, Region, FeaturesJson, InputJson,
        OutputsJson, Score, LatencyMs, Status, Error
        """;

    private const string FeedbackColumns = "Id, RequestId, Model, Version, Arm, Outcome, ReceivedAt";

    private const string CopyLog = $"INSERT INTO main.InferenceLog ({LogColumns}) SELECT {LogColumns} FROM legacy.InferenceLog";

    private const string CopyFeedback = $"INSERT INTO main.InferenceFeedback ({FeedbackColumns}) SELECT {FeedbackColumns} FROM legacy.InferenceFeedback";

    /// <summary>Copies the old tables of the SQLite file <paramref name="mainFile"/> into the (migrated) log; returns the rows copied.</summary>
    public static async Task<(long Records, long Feedback)> RunAsync(string mainFile, InferenceLogDbContext log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!File.Exists(mainFile) || !await HasLegacyTablesAsync(mainFile, cancellationToken) || await log.Set<InferenceLogEntry>().AnyAsync(cancellationToken)
            || await log.Set<InferenceFeedback>().AnyAsync(cancellationToken))
        {
            return (0, 0);
        }

        await log.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // ATTACH is refused inside a transaction, so it comes first; the copy itself is one transaction.
            await log.Database.ExecuteSqlRawAsync("ATTACH DATABASE {0} AS legacy", [mainFile], cancellationToken);
            try
            {
                await using var transaction = await log.Database.BeginTransactionAsync(cancellationToken);
                var records = await log.Database.ExecuteSqlRawAsync(CopyLog, cancellationToken);
                var feedback = await log.Database.ExecuteSqlRawAsync(CopyFeedback, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (records, feedback);
            }
            finally
            {
                await log.Database.ExecuteSqlRawAsync("DETACH DATABASE legacy", cancellationToken);
            }
        }
        finally
        {
            await log.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> HasLegacyTablesAsync(string mainFile, CancellationToken cancellationToken)
    {
        var existing = new SqliteConnectionStringBuilder { DataSource = mainFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var connection = new SqliteConnection(existing.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('InferenceLog', 'InferenceFeedback')";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 2;
    }
}
