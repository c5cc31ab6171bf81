using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

/// <summary>Hourly KPI read from the persisted log and feedback of a real migrated inference log database.</summary>
public sealed class KpiHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private MigratedInferenceLogFile _database = null!; // Set in InitializeAsync.

    public async Task InitializeAsync() => _database = await MigratedInferenceLogFile.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task HourlyAsync_GroupsServedRequestsAndOutcomesByUtcHour_WithoutMirrors()
    {
        var database = new InferenceLogDatabase(_database.ConnectionString);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            var n = 0;
            foreach (var (at, arm, outcome) in new[]
            {
                (Hour.AddMinutes(1), "candidate", 1.0), (Hour.AddMinutes(59), "candidate", 0.0), (Hour.AddMinutes(30), "shadow", 1.0),
                (Hour.AddHours(1).AddSeconds(1), "candidate", 1.0), (Hour.AddMinutes(-1), "candidate", 1.0),
            })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    INSERT INTO InferenceLog (RequestId, At, Model, Version, Arm, Status, LatencyMs) VALUES ($Id, $At, 'm', 3, $Arm, 'ok', 1);
                    INSERT INTO InferenceFeedback (RequestId, Model, Version, Arm, Outcome, ReceivedAt) VALUES ($Id, 'm', 3, $Arm, $Outcome, $At);
                    """;
                command.Parameters.AddWithValue("$Id", $"r{n++}");
                command.Parameters.AddWithValue("$At", StoredTime.ToStored(at));
                command.Parameters.AddWithValue("$Arm", arm);
                command.Parameters.AddWithValue("$Outcome", outcome);
                await command.ExecuteNonQueryAsync();
            }
        }

        var hours = await new KpiHistory(database).HourlyAsync("m", 3, Hour, CancellationToken.None);

        Assert.Equal([(Hour, 2L, 1.0), (Hour.AddHours(1), 1L, 1.0)], hours.Select(h => (h.Hour, h.Requests, h.OutcomeSum)));
    }
}
