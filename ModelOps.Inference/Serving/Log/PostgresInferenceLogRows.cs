using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using Npgsql;
using NpgsqlTypes;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// PostgreSQL's batch insert: binary <c>COPY</c>, one stream per table, inside one transaction
/// (a failed batch leaves nothing behind, as on SQLite). Rows are numbered in the order they are
/// copied, so ids follow the queue's order. Journal replay, which must skip what is stored
/// already, uses prepared conditional INSERTs instead: <c>COPY</c> cannot skip a row.
/// </summary>
internal sealed class PostgresInferenceLogRows(PostgresInferenceLogDatabase database) : IInferenceLogRows
{
    private const string LogColumnList = """
        "RequestId", "At", "Model", "Version", "Encoder", "Arm", "RoutingKey", "Region",
        "FeaturesJson", "InputJson", "OutputsJson", "Score", "LatencyMs", "Status", "Error"
        """;

    private const string FeedbackColumnList = """ "RequestId", "Model", "Version", "Arm", "Outcome", "ReceivedAt" """;

    private const string CopyLog = $"""COPY "InferenceLog" ({LogColumnList}) FROM STDIN (FORMAT BINARY)""";

    private const string CopyFeedback = $"""COPY "InferenceFeedback" ({FeedbackColumnList}) FROM STDIN (FORMAT BINARY)""";

    private const string InsertLogOnce = $"""
        INSERT INTO "InferenceLog" ({LogColumnList})
        SELECT @RequestId, @At, @Model, @Version, @Encoder, @Arm, @RoutingKey, @Region,
            @FeaturesJson, @InputJson, @OutputsJson, @Score, @LatencyMs, @Status, @Error
        WHERE NOT EXISTS (SELECT 1 FROM "InferenceLog"
            WHERE "RequestId" = @RequestId AND "Arm" = @Arm AND "Version" = @Version AND "At" = @At)
        """;

    private const string InsertFeedbackOnce = $"""
        INSERT INTO "InferenceFeedback" ({FeedbackColumnList})
        SELECT @RequestId, @Model, @Version, @Arm, @Outcome, @ReceivedAt
        WHERE NOT EXISTS (SELECT 1 FROM "InferenceFeedback"
            WHERE "RequestId" = @RequestId AND "Arm" = @Arm AND "ReceivedAt" = @ReceivedAt AND "Outcome" = @Outcome)
        """;

    private static readonly (string Name, NpgsqlDbType Type)[] LogParameters =
    [
        ("RequestId", NpgsqlDbType.Text), ("At", NpgsqlDbType.Bigint), ("Model", NpgsqlDbType.Text),
        ("Version", NpgsqlDbType.Integer), ("Encoder", NpgsqlDbType.Text), ("Arm", NpgsqlDbType.Text),
        ("RoutingKey", NpgsqlDbType.Text), ("Region", NpgsqlDbType.Text), ("FeaturesJson", NpgsqlDbType.Text),
        ("InputJson", NpgsqlDbType.Text), ("OutputsJson", NpgsqlDbType.Text), ("Score", NpgsqlDbType.Double),
        ("LatencyMs", NpgsqlDbType.Double), ("Status", NpgsqlDbType.Text), ("Error", NpgsqlDbType.Text),
    ];

    private static readonly (string Name, NpgsqlDbType Type)[] FeedbackParameters =
    [
        ("RequestId", NpgsqlDbType.Text), ("Model", NpgsqlDbType.Text), ("Version", NpgsqlDbType.Integer),
        ("Arm", NpgsqlDbType.Text), ("Outcome", NpgsqlDbType.Double), ("ReceivedAt", NpgsqlDbType.Bigint),
    ];

    private readonly LogColumns _columns = new();

    public async Task<(int Records, int Feedback)> InsertAsync(IReadOnlyList<LogItem> items, CancellationToken cancellationToken, bool skipStored = false)
    {
        await using var connection = await database.OpenNpgsqlAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var written = skipStored
            ? await InsertOnceAsync(connection, transaction, items, cancellationToken)
            : (await CopyRecordsAsync(connection, items, cancellationToken), await CopyFeedbackAsync(connection, items, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public void Dispose() => _columns.Dispose();

    private async Task<int> CopyRecordsAsync(NpgsqlConnection connection, IReadOnlyList<LogItem> items, CancellationToken cancellationToken)
    {
        if (!items.Any(item => item.Record is not null))
        {
            return 0;
        }

        await using var copy = await connection.BeginBinaryImportAsync(CopyLog, cancellationToken);
        foreach (var item in items)
        {
            if (item.Record is not { } record)
            {
                continue;
            }

            await copy.StartRowAsync(cancellationToken);
            foreach (var (value, type) in Values(record))
            {
                await WriteAsync(copy, value, type, cancellationToken);
            }
        }

        return (int)await copy.CompleteAsync(cancellationToken);
    }

    private async Task<int> CopyFeedbackAsync(NpgsqlConnection connection, IReadOnlyList<LogItem> items, CancellationToken cancellationToken)
    {
        if (!items.Any(item => item.Feedback is not null))
        {
            return 0;
        }

        await using var copy = await connection.BeginBinaryImportAsync(CopyFeedback, cancellationToken);
        foreach (var item in items)
        {
            if (item.Feedback is not { } feedback)
            {
                continue;
            }

            await copy.StartRowAsync(cancellationToken);
            foreach (var (value, type) in Values(feedback))
            {
                await WriteAsync(copy, value, type, cancellationToken);
            }
        }

        return (int)await copy.CompleteAsync(cancellationToken);
    }

    private async Task<(int Records, int Feedback)> InsertOnceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LogItem> items, CancellationToken cancellationToken)
    {
        await using var log = await PrepareAsync(connection, transaction, InsertLogOnce, LogParameters, cancellationToken);
        await using var feedback = await PrepareAsync(connection, transaction, InsertFeedbackOnce, FeedbackParameters, cancellationToken);
        var (records, outcomes) = (0, 0);
        foreach (var item in items)
        {
            var (command, values) = item.Record is { } record ? (log, Values(record)) : (feedback, Values(item.Feedback!)); // A LogItem holds one or the other.
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i].Value ?? DBNull.Value;
            }

            var written = await command.ExecuteNonQueryAsync(cancellationToken);
            (records, outcomes) = item.Record is null ? (records, outcomes + written) : (records + written, outcomes);
        }

        return (records, outcomes);
    }

    private (object? Value, NpgsqlDbType Type)[] Values(InferenceRecord record) =>
    [
        (database.Storable(record.RequestId), NpgsqlDbType.Text),
        (StoredTime.ToStored(record.At), NpgsqlDbType.Bigint),
        (database.Storable(record.Model), NpgsqlDbType.Text),
        (record.Version, NpgsqlDbType.Integer),
        (Text(LogColumns.Encoder(record)), NpgsqlDbType.Text),
        (record.Arm.ToWire(), NpgsqlDbType.Text),
        (Text(record.RoutingKey), NpgsqlDbType.Text),
        (Text(record.Region), NpgsqlDbType.Text),
        (_columns.FeaturesJson(record), NpgsqlDbType.Text),
        (_columns.FloatsJson(record.Input), NpgsqlDbType.Text),
        (_columns.FloatsJson(record.Outputs), NpgsqlDbType.Text),
        (LogColumns.Score(record), NpgsqlDbType.Double),
        (LogColumns.LatencyMs(record), NpgsqlDbType.Double),
        (record.Status.ToWire(), NpgsqlDbType.Text),
        (Text(record.Error), NpgsqlDbType.Text),
    ];

    private (object? Value, NpgsqlDbType Type)[] Values(InferenceFeedback feedback) =>
    [
        (database.Storable(feedback.RequestId), NpgsqlDbType.Text),
        (database.Storable(feedback.Model), NpgsqlDbType.Text),
        (feedback.Version, NpgsqlDbType.Integer),
        (database.Storable(feedback.Arm), NpgsqlDbType.Text),
        (feedback.Outcome, NpgsqlDbType.Double),
        (StoredTime.ToStored(feedback.ReceivedAt), NpgsqlDbType.Bigint),
    ];

    private string? Text(string? value) => value is null ? null : database.Storable(value);

    private static Task WriteAsync(NpgsqlBinaryImporter copy, object? value, NpgsqlDbType type, CancellationToken cancellationToken) => value switch
    {
        null => copy.WriteNullAsync(cancellationToken),
        string text => copy.WriteAsync(text, type, cancellationToken),
        long number => copy.WriteAsync(number, type, cancellationToken),
        int number => copy.WriteAsync(number, type, cancellationToken),
        double number => copy.WriteAsync(number, type, cancellationToken),
        _ => throw new InvalidOperationException($"No COPY mapping for {value.GetType()}."),
    };

    private static async Task<NpgsqlCommand> PrepareAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, (string Name, NpgsqlDbType Type)[] parameters, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, type));
        }

        await command.PrepareAsync(cancellationToken);
        return command;
    }
}
