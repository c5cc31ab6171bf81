using System.Data.Common;
using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Reads of the persisted inference log. Sees only what the writer has already flushed, so a
/// request answered within the last flush interval may not be found yet.
/// </summary>
public sealed class InferenceLogReader(InferenceLogDatabase database) : ILoggedRequests
{
    /// <summary>
    /// Rows scanned per requested input at most: bounds the cost of <see cref="RecentInputsAsync"/>
    /// when traffic repeats the same inputs, at the price of returning fewer than asked.
    /// </summary>
    public const int ScanPerInput = 10;

    private const string Columns = """
        "RequestId", "At", "Model", "Version", "Encoder", "Arm", "RoutingKey", "Region", "FeaturesJson", "InputJson",
        "OutputsJson", "Score", "LatencyMs", "Status", "Error", "Id"
        """;

    /// <summary>
    /// The served row of a request. A mirrored request shares its id with the served one, so
    /// the shadow row is returned only when there is no other.
    /// </summary>
    public async Task<InferenceLogEntry?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = LogCommand.Create(connection, $"""
            SELECT {Columns} FROM "InferenceLog" WHERE "RequestId" = @RequestId
            ORDER BY CASE "Arm" WHEN 'shadow' THEN 1 ELSE 0 END, "Id" LIMIT 1
            """).With("RequestId", database.Storable(requestId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Entry(reader) : null;
    }

    /// <summary>
    /// Distinct input vectors a version was recently served, newest first, at most
    /// <paramref name="limit"/>; scans at most <see cref="ScanPerInput"/> × limit rows.
    /// </summary>
    public async Task<IReadOnlyList<float[]>> RecentInputsAsync(string model, int version, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Walks IX_InferenceLog_Model_Version_At backwards; Id (SQLite's rowid) breaks ties in the index.
        await using var command = LogCommand.Create(connection, """
            SELECT "InputJson" FROM "InferenceLog"
            WHERE "Model" = @Model AND "Version" = @Version AND "InputJson" IS NOT NULL
            ORDER BY "At" DESC, "Id" DESC LIMIT @Scan
            """).With("Model", model).With("Version", version).With("Scan", (long)limit * ScanPerInput);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inputs = new List<float[]>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (inputs.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            // The writer serialises a vector deterministically, so equal text means an equal vector.
            var json = reader.GetString(0);
            if (seen.Add(json))
            {
                inputs.Add(InferenceLogJson.ParseFloats(json));
            }
        }

        return inputs;
    }

    public async Task<IReadOnlyList<LoggedRequestKey>> KeysAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // IX_InferenceLog_Model_Version_At covers the filter; only two narrow columns come back.
        await using var command = LogCommand.Create(connection, """
            SELECT "Id", "Status" FROM "InferenceLog"
            WHERE "Model" = @Model AND "Version" = @Version AND "At" >= @From AND "At" <= @To
            """).With("Model", model).With("Version", version).With("From", StoredTime.ToStored(from)).With("To", StoredTime.ToStored(to));
        var keys = new List<LoggedRequestKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new LoggedRequestKey(reader.GetInt64(0), reader.GetString(1) != "ok"));
        }

        return keys;
    }

    public async Task<IReadOnlyList<InferenceLogEntry>> RowsAsync(IReadOnlyList<long> logIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logIds);
        var rows = new List<InferenceLogEntry>(logIds.Count);
        await using var connection = await database.OpenAsync(cancellationToken);
        // Ids are longs formatted here, never input text; chunks stay under SQLite's expression depth.
        foreach (var chunk in logIds.Chunk(500))
        {
            await using var command = LogCommand.Create(connection, $"""SELECT {Columns} FROM "InferenceLog" WHERE "Id" IN ({string.Join(',', chunk)}) ORDER BY "Id" """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Entry(reader));
            }
        }

        return rows;
    }

    private static InferenceLogEntry Entry(DbDataReader reader) => new()
    {
        RequestId = reader.GetString(0),
        At = StoredTime.FromStored(reader.GetInt64(1)),
        Model = reader.GetString(2),
        Version = reader.GetInt32(3),
        Encoder = TextOrNull(reader, 4),
        Arm = reader.GetString(5),
        RoutingKey = TextOrNull(reader, 6),
        Region = TextOrNull(reader, 7),
        FeaturesJson = TextOrNull(reader, 8),
        InputJson = TextOrNull(reader, 9),
        OutputsJson = TextOrNull(reader, 10),
        Score = reader.IsDBNull(11) ? null : reader.GetDouble(11),
        LatencyMs = reader.GetDouble(12),
        Status = reader.GetString(13),
        Error = TextOrNull(reader, 14),
        Id = reader.GetInt64(15),
    };

    private static string? TextOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
