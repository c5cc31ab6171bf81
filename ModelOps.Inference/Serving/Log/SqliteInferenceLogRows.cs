using Microsoft.Data.Sqlite;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// SQLite's batch insert: prepared, parameterised INSERTs reused across the rows of one
/// transaction (SQLite has no bulk-load path faster than that within one transaction).
/// </summary>
internal sealed class SqliteInferenceLogRows(SqliteInferenceLogDatabase database) : IInferenceLogRows
{
    private const string InsertLog = """
        INSERT INTO InferenceLog (RequestId, At, Model, Version, Encoder, Arm, RoutingKey, Region,
            FeaturesJson, InputJson, OutputsJson, Score, LatencyMs, Status, Error)
        VALUES ($RequestId, $At, $Model, $Version, $Encoder, $Arm, $RoutingKey, $Region,
            $FeaturesJson, $InputJson, $OutputsJson, $Score, $LatencyMs, $Status, $Error)
        """;

    private const string InsertFeedback = """
        INSERT INTO InferenceFeedback (RequestId, Model, Version, Arm, Outcome, ReceivedAt)
        VALUES ($RequestId, $Model, $Version, $Arm, $Outcome, $ReceivedAt)
        """;

    // Replay of the journal: a row the database already holds (same request, arm, version and
    // time, to the stored tick) is not written twice.
    private const string InsertLogOnce = """
        INSERT INTO InferenceLog (RequestId, At, Model, Version, Encoder, Arm, RoutingKey, Region,
            FeaturesJson, InputJson, OutputsJson, Score, LatencyMs, Status, Error)
        SELECT $RequestId, $At, $Model, $Version, $Encoder, $Arm, $RoutingKey, $Region,
            $FeaturesJson, $InputJson, $OutputsJson, $Score, $LatencyMs, $Status, $Error
        WHERE NOT EXISTS (SELECT 1 FROM InferenceLog
            WHERE RequestId = $RequestId AND Arm = $Arm AND Version = $Version AND At = $At)
        """;

    private const string InsertFeedbackOnce = """
        INSERT INTO InferenceFeedback (RequestId, Model, Version, Arm, Outcome, ReceivedAt)
        SELECT $RequestId, $Model, $Version, $Arm, $Outcome, $ReceivedAt
        WHERE NOT EXISTS (SELECT 1 FROM InferenceFeedback
            WHERE RequestId = $RequestId AND Arm = $Arm AND ReceivedAt = $ReceivedAt AND Outcome = $Outcome)
        """;

    private static readonly (string Name, SqliteType Type)[] LogParameters =
    [
        ("$RequestId", SqliteType.Text), ("$At", SqliteType.Integer), ("$Model", SqliteType.Text),
        ("$Version", SqliteType.Integer), ("$Encoder", SqliteType.Text), ("$Arm", SqliteType.Text),
        ("$RoutingKey", SqliteType.Text), ("$Region", SqliteType.Text), ("$FeaturesJson", SqliteType.Text),
        ("$InputJson", SqliteType.Text), ("$OutputsJson", SqliteType.Text), ("$Score", SqliteType.Real),
        ("$LatencyMs", SqliteType.Real), ("$Status", SqliteType.Text), ("$Error", SqliteType.Text),
    ];

    private static readonly (string Name, SqliteType Type)[] FeedbackParameters =
    [
        ("$RequestId", SqliteType.Text), ("$Model", SqliteType.Text), ("$Version", SqliteType.Integer),
        ("$Arm", SqliteType.Text), ("$Outcome", SqliteType.Real), ("$ReceivedAt", SqliteType.Integer),
    ];

    private readonly LogColumns _columns = new();

    public async Task<(int Records, int Feedback)> InsertAsync(IReadOnlyList<LogItem> items, CancellationToken cancellationToken, bool skipStored = false)
    {
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        // Not deferred: BEGIN IMMEDIATE takes the write lock up front, so the busy timeout
        // applies instead of a lock upgrade failing midway.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var log = Prepare(connection, transaction, skipStored ? InsertLogOnce : InsertLog, LogParameters);
        await using var feedback = Prepare(connection, transaction, skipStored ? InsertFeedbackOnce : InsertFeedback, FeedbackParameters);
        var (records, outcomes) = (0, 0);
        foreach (var item in items)
        {
            if (item.Record is { } record)
            {
                Bind(log.Parameters, record);
                records += await log.ExecuteNonQueryAsync(cancellationToken);
            }
            else if (item.Feedback is { } received)
            {
                Bind(feedback.Parameters, received);
                outcomes += await feedback.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (records, outcomes);
    }

    public void Dispose() => _columns.Dispose();

    private static SqliteCommand Prepare(
        SqliteConnection connection, SqliteTransaction transaction, string sql, (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private void Bind(SqliteParameterCollection p, InferenceRecord record)
    {
        p[0].Value = record.RequestId;
        p[1].Value = StoredTime.ToStored(record.At);
        p[2].Value = record.Model;
        p[3].Value = record.Version;
        p[4].Value = (object?)LogColumns.Encoder(record) ?? DBNull.Value;
        p[5].Value = record.Arm.ToWire();
        p[6].Value = (object?)record.RoutingKey ?? DBNull.Value;
        p[7].Value = (object?)record.Region ?? DBNull.Value;
        p[8].Value = (object?)_columns.FeaturesJson(record) ?? DBNull.Value;
        p[9].Value = (object?)_columns.FloatsJson(record.Input) ?? DBNull.Value;
        p[10].Value = (object?)_columns.FloatsJson(record.Outputs) ?? DBNull.Value;
        p[11].Value = (object?)LogColumns.Score(record) ?? DBNull.Value;
        p[12].Value = LogColumns.LatencyMs(record);
        p[13].Value = record.Status.ToWire();
        p[14].Value = (object?)record.Error ?? DBNull.Value;
    }

    private static void Bind(SqliteParameterCollection p, InferenceFeedback feedback)
    {
        p[0].Value = feedback.RequestId;
        p[1].Value = feedback.Model;
        p[2].Value = feedback.Version;
        p[3].Value = feedback.Arm;
        p[4].Value = feedback.Outcome;
        p[5].Value = StoredTime.ToStored(feedback.ReceivedAt);
    }
}
