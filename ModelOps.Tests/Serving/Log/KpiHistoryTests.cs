using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>Hourly KPI read from the persisted log and feedback of a real migrated inference log database.</summary>
public sealed class KpiHistoryTests
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task HourlyAsync_GroupsServedRequestsAndOutcomesByUtcHour_WithoutMirrors(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var rows = new[]
        {
            (Hour.AddMinutes(1), Arm.Candidate, 1.0), (Hour.AddMinutes(59), Arm.Candidate, 0.0), (Hour.AddMinutes(30), Arm.Shadow, 1.0),
            (Hour.AddHours(1).AddSeconds(1), Arm.Candidate, 1.0), (Hour.AddMinutes(-1), Arm.Candidate, 1.0),
        }.Select((row, n) => (Id: $"r{n}", At: row.Item1, Arm: row.Item2, Outcome: row.Item3)).ToList();
        await LogRecords.PersistAsync(log,
            rows.Select(r => LogRecords.Record(r.Id, r.At, model: "m", version: 3, arm: r.Arm)),
            rows.Select(r => new InferenceFeedback { RequestId = r.Id, Model = "m", Version = 3, Arm = r.Arm.ToWire(), Outcome = r.Outcome, ReceivedAt = r.At }));

        var hours = await new KpiHistory(log.Database).HourlyAsync("m", 3, Hour, CancellationToken.None);

        Assert.Equal([(Hour, 2L, 1.0), (Hour.AddHours(1), 1L, 1.0)], hours.Select(h => (h.Hour, h.Requests, h.OutcomeSum)));
    }
}
