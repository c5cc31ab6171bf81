using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Inserts one batch of queued writes in one transaction with prepared, parameterised INSERTs
/// reused across rows. All serialisation happens here, on the single consumer, so the request
/// path only pays for a queue write. Not thread-safe: its JSON buffer is reused across rows.
/// </summary>
internal sealed class InferenceLogRows : IDisposable
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

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    public InferenceLogRows() => _json = new Utf8JsonWriter(_buffer);

    /// <summary>
    /// Inserts every item or none; returns how many log and feedback rows were written. With
    /// <paramref name="skipStored"/> (journal replay) an item already stored is skipped, not counted.
    /// </summary>
    public async Task<(int Records, int Feedback)> InsertAsync(
        SqliteConnection connection, IReadOnlyList<LogItem> items, CancellationToken cancellationToken, bool skipStored = false)
    {
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

    public void Dispose() => _json.Dispose();

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
        p[4].Value = record.EncoderSpec is { } spec ? $"{spec.Name}@{spec.Version}" : DBNull.Value;
        p[5].Value = record.Arm.ToWire();
        p[6].Value = (object?)record.RoutingKey ?? DBNull.Value;
        p[7].Value = (object?)record.Region ?? DBNull.Value;
        p[8].Value = record.Features is { } features ? FeaturesJson(features, record) : DBNull.Value;
        p[9].Value = record.Input is { } input ? FloatsJson(input) : DBNull.Value;
        p[10].Value = record.Outputs is { } outputs ? FloatsJson(outputs) : DBNull.Value;
        p[11].Value = record.Score is { } score && !double.IsNaN(score) ? score : DBNull.Value;
        // SQLite stores NaN as NULL, which the NOT NULL column would refuse for the whole batch.
        p[12].Value = double.IsNaN(record.LatencyMs) ? 0d : record.LatencyMs;
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

    private string FeaturesJson(IReadOnlyDictionary<string, FeatureValue> features, InferenceRecord record)
    {
        PersonalDataMask.WriteJson(_json, features, record.EncoderSpec);
        return TakeJson();
    }

    private string FloatsJson(float[] values)
    {
        InferenceLogJson.WriteFloats(_json, values);
        return TakeJson();
    }

    private string TakeJson()
    {
        _json.Flush();
        var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        return text;
    }
}
