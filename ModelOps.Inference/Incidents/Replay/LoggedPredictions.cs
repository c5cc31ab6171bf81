using ModelOps.Core.Incidents.Replay;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Inference.Incidents.Replay;

/// <summary>
/// The candidate's answered predictions (live and mirrored arms) in the inference log's own
/// database, read in keyset batches along IX_InferenceLog_Model_Version_At (At, then the id),
/// so each batch is an index range, never a sort of everything before it. Reads never take the
/// write lock, and the log is WAL: the writer is not held up.
/// </summary>
public sealed class LoggedPredictions(InferenceLogDatabase database) : IReplaySource
{
    private const string Filter = """
        "Model" = @Model AND "Version" = @Version AND "At" >= @From AND "At" <= @To
        AND "Arm" IN (@Candidate, @Shadow) AND "Status" = 'ok' AND "Score" IS NOT NULL
        """;

    public async Task<int> CountAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int cap, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Bind(LogCommand.Create(connection, $"""SELECT COUNT(*) FROM (SELECT 1 FROM "InferenceLog" WHERE {Filter} LIMIT @Cap) AS capped"""), model, version, from, to)
            .With("Cap", cap);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<LoggedPrediction>> ReadAsync(
        string model, int version, DateTimeOffset from, DateTimeOffset to, LoggedPrediction? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Bind(LogCommand.Create(connection, $"""
            SELECT "Id", "At", "Region", "FeaturesJson", "InputJson", "Score" FROM "InferenceLog"
            WHERE {Filter} AND ("At" > @AfterAt OR ("At" = @AfterAt AND "Id" > @AfterId))
            ORDER BY "At", "Id" LIMIT @Limit
            """), model, version, from, to)
            .With("AfterAt", after is null ? long.MinValue : StoredTime.ToStored(after.At))
            .With("AfterId", after?.Id ?? long.MinValue)
            .With("Limit", limit);
        var rows = new List<LoggedPrediction>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LoggedPrediction(
                reader.GetInt64(0),
                StoredTime.FromStored(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                LoggedFeatures.Parse(reader.IsDBNull(3) ? null : reader.GetString(3)),
                reader.IsDBNull(4) ? null : InferenceLogJson.ParseFloats(reader.GetString(4)),
                reader.GetDouble(5)));
        }

        return rows;
    }

    private static System.Data.Common.DbCommand Bind(System.Data.Common.DbCommand command, string model, int version, DateTimeOffset from, DateTimeOffset to) => command
        .With("Model", model)
        .With("Version", version)
        .With("From", StoredTime.ToStored(from))
        .With("To", StoredTime.ToStored(to))
        .With("Candidate", Arm.Candidate.ToWire())
        .With("Shadow", Arm.Shadow.ToWire());
}
