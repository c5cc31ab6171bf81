using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Hourly KPI of a version from the inference log (requests served, mirrors excluded) and the
/// feedback table (outcomes, by the hour they arrived — within the attribution window of the
/// request, so the same hour but at its edges). Grouped in SQL on the stored time's encoding.
/// </summary>
public sealed class KpiHistory(InferenceLogDatabase database) : IKpiHistory
{
    public async Task<IReadOnlyList<HourlyKpi>> HourlyAsync(string model, int version, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var requests = await GroupAsync("SELECT " + StoredTime.HourOfSql("\"At\"") + """ AS h, COUNT(*) FROM "InferenceLog" WHERE "Model" = @Model AND "Version" = @Version AND "Arm" <> 'shadow' AND "At" >= @From GROUP BY h""", model, version, from, cancellationToken);
        var outcomes = await GroupAsync("SELECT " + StoredTime.HourOfSql("\"ReceivedAt\"") + """ AS h, SUM("Outcome") FROM "InferenceFeedback" WHERE "Model" = @Model AND "Version" = @Version AND "Arm" <> 'shadow' AND "ReceivedAt" >= @From GROUP BY h""", model, version, from, cancellationToken);
        return [.. requests.OrderBy(r => r.Key).Select(r => new HourlyKpi(
            new DateTimeOffset(r.Key * TimeSpan.TicksPerHour, TimeSpan.Zero), (long)r.Value, outcomes.GetValueOrDefault(r.Key)))];
    }

    private async Task<Dictionary<long, double>> GroupAsync(string sql, string model, int version, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = LogCommand.Create(connection, sql).With("Model", model).With("Version", version).With("From", StoredTime.ToStored(from));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var groups = new Dictionary<long, double>();
        while (await reader.ReadAsync(cancellationToken))
        {
            groups[reader.GetInt64(0)] = reader.IsDBNull(1) ? 0 : reader.GetDouble(1);
        }

        return groups;
    }
}
