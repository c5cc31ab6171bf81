using System.Text;
using System.Text.Json;
using ModelOps.Benchmarks.Serving;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Benchmarks.Incidents;

/// <summary>
/// Writes <c>rows</c> answered predictions of ctr-ranker v3 (candidate arm: features, encoded
/// input, a score) into the app's inference log, spread over the hour before <c>until</c>, in one
/// transaction, as the log writer would have stored them during a rollout.
/// </summary>
internal static class ReplayLogSeed
{
    public static async Task WriteAsync(InferenceLogDatabase database, ServingWorkload workload, FeatureEncoderSpec spec, int rows, DateTimeOffset until)
    {
        // The replay-interference harness runs the app on its default SQLite log.
        await using var connection = (Microsoft.Data.Sqlite.SqliteConnection)await database.OpenAsync(CancellationToken.None);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO InferenceLog (RequestId, At, Model, Version, Encoder, Arm, RoutingKey, Region, FeaturesJson, InputJson, OutputsJson, Score, LatencyMs, Status, Error)
            VALUES ($RequestId, $At, 'ctr-ranker', 3, $Encoder, 'candidate', NULL, $Region, $Features, $Input, NULL, $Score, 1.0, 'ok', NULL)
            """;
        var (id, at, encoder, region, features, input, score) = (
            command.Parameters.Add("$RequestId", Microsoft.Data.Sqlite.SqliteType.Text), command.Parameters.Add("$At", Microsoft.Data.Sqlite.SqliteType.Integer),
            command.Parameters.AddWithValue("$Encoder", $"{spec.Name}@{spec.Version}"), command.Parameters.Add("$Region", Microsoft.Data.Sqlite.SqliteType.Text),
            command.Parameters.Add("$Features", Microsoft.Data.Sqlite.SqliteType.Text), command.Parameters.Add("$Input", Microsoft.Data.Sqlite.SqliteType.Text),
            command.Parameters.Add("$Score", Microsoft.Data.Sqlite.SqliteType.Real));
        command.Prepare();
        var random = new Random(11);
        var start = until.AddHours(-1);
        for (var i = 0; i < rows; i++)
        {
            var row = i & workload.Mask;
            id.Value = $"seed-{i}";
            at.Value = StoredTime.ToStored(start.AddMilliseconds(i * 3_600_000.0 / rows));
            region.Value = workload.Features[row].TryGetValue("region", out var r) && r.Text is { } text ? text : "eu";
            features.Value = FeaturesJson(workload.Features[row], spec);
            input.Value = $"[{string.Join(",", workload.Encoded[row].Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
            score.Value = random.NextDouble() * 0.3;
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static string FeaturesJson(IReadOnlyDictionary<string, FeatureValue> features, FeatureEncoderSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            PersonalDataMask.WriteJson(writer, features, spec);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
