using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelOps.Core;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;
using Xunit.Abstractions;

namespace ModelOps.Tests.Serving.Log;

/// <summary>
/// The built app as a real child process, SIGKILLed right after its last answer, then started
/// again on the same data directory. Batches are made so large and the flush interval so long
/// that nothing reaches the database before the kill: every answered request is at stake, and
/// only the journal can bring it back. The run with the journal off is the control: it shows
/// the test sees a loss when there is one.
/// </summary>
public sealed class InferenceLogCrashTests(ITestOutputHelper output)
{
    private const int Requests = 2_000;
    private const int Feedback = 200;
    private const int Workers = 8;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Kill_AfterAnsweredRequests_RestartHasEveryOneOnlyWithTheJournal(bool journal)
    {
        var directory = Path.Combine(Path.GetTempPath(), "modelops-crash", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["ModelOps:Inference:Log:Journal"] = journal ? "true" : "false",
            ["ModelOps:Inference:Log:FlushIntervalMs"] = "60000",
            ["ModelOps:Inference:Log:BatchSize"] = "100000",
        };
        try
        {
            List<string> answered;
            await using (var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(120), settings, directory))
            {
                answered = await PredictAsync(app.BaseAddress);
                await SendFeedbackAsync(app.BaseAddress, answered.Take(Feedback));
                await app.KillAsync();
            }

            var beforeRestart = await CountLoggedAsync(directory, answered);
            await using (await WebAppProcess.StartAsync(TimeSpan.FromSeconds(120), settings, directory))
            {
                var (logged, rows, feedback) = await CountLoggedAsync(directory, answered);
                output.WriteLine($"journal {(journal ? "on" : "off")}: {answered.Count} answered, {beforeRestart.Logged} in the log right after SIGKILL, " +
                    $"{logged} after restart ({rows} rows), {feedback} of {Feedback} feedback rows");
                if (journal)
                {
                    Assert.Equal((Requests, Requests, Feedback), (logged, rows, feedback));
                }
                else
                {
                    Assert.True(logged < Requests, "without the journal the queued rows die with the process");
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<List<string>> PredictAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var ids = new List<string>[Workers];
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
        {
            ids[worker] = [];
            for (var i = worker; i < Requests; i += Workers)
            {
                using var response = await client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24) });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                ids[worker].Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString()!);
            }
        }));
        return [.. ids.SelectMany(list => list)];
    }

    private static async Task SendFeedbackAsync(Uri baseAddress, IEnumerable<string> ids)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        foreach (var id in ids)
        {
            using var response = await client.PostAsJsonAsync("/inference/feedback", new { requestId = id, outcome = 1 });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    /// <summary>How many answered ids the log holds, how many rows they have (a duplicate would show), and the feedback rows.</summary>
    private static async Task<(int Logged, int Rows, int Feedback)> CountLoggedAsync(string directory, IReadOnlyCollection<string> answered)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, CoreServiceCollectionExtensions.InferenceLogFile)};Pooling=False");
        await connection.OpenAsync();
        var ids = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT RequestId FROM InferenceLog";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        await using var feedback = connection.CreateCommand();
        feedback.CommandText = "SELECT COUNT(*) FROM InferenceFeedback";
        var wanted = answered.ToHashSet();
        return (ids.Where(wanted.Contains).Distinct().Count(), ids.Count(wanted.Contains), Convert.ToInt32(await feedback.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
