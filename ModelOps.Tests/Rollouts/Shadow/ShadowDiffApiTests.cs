using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Core.Demo;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;

namespace ModelOps.Tests.Rollouts.Shadow;

/// <summary>
/// Through the real app: a shadow rollout of the demo's v3 (worse at night) mirrors every request;
/// <c>GET /api/rollouts/{id}</c> shows the divergence of the mirrored pairs, and <c>shadow.maxDiff</c>
/// holds <c>advance</c> back while a segment with enough samples flips more decisions than allowed.
/// </summary>
public sealed class ShadowDiffApiTests : IAsyncLifetime
{
    internal const string NightSegment = "feature.hour=[2, 3)";
    private readonly ModelOpsAppFactory _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        // The evaluator stores the report; looks and refreshes every second, so a read follows the log closely.
        _app.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        _app.Settings["ModelOps:Rollouts:ShadowDiff:RefreshSeconds"] = "1";
        _anonymous = _app.CreateClient();
        _operator = await _app.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        _anonymous.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Advance_NightSegmentFlipsAboveMaxDiff_RefusedNamingTheSegmentAndItsShare()
    {
        var id = await RolloutDriver.StartAsync(_operator, Plan(maxDiff: 0.3));
        await SendAsync(_anonymous, hours: [2, 12, 12, 12], requests: 240);
        var diff = await ShadowDiffAsync(id, rows: 240);

        using var advance = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/advance", new { reason = "looks fine" });

        var night = Segment(diff, NightSegment);
        Assert.True(night.GetProperty("flipShare").GetDouble() > 0.3, diff.ToString());
        var problem = await ProblemAssert.IsProblemAsync(advance, HttpStatusCode.Conflict);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(NightSegment, detail, StringComparison.Ordinal);
        Assert.Contains($"{night.GetProperty("flipShare").GetDouble():0.0%}", detail, StringComparison.Ordinal);
        var rollout = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal("shadowing", rollout.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Advance_DaytimeShadowDiffWithinMaxDiff_MovesToTheFirstCanaryStep()
    {
        var id = await RolloutDriver.StartAsync(_operator, Plan(maxDiff: 0.3));
        await SendAsync(_anonymous, hours: [12], requests: 60);
        var diff = await ShadowDiffAsync(id, rows: 60);

        using var advance = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/advance", new { reason = "shadow diff within bound" });

        Assert.True(diff.GetProperty("bySegment").EnumerateArray().All(s => s.GetProperty("flipShare").GetDouble() <= 0.3), diff.ToString());
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        var rollout = (await advance.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout");
        Assert.Equal("progressing", rollout.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ShadowDiff_MirroredPairs_SegmentedByRegionAndHourOfDayWithTheRegisteredThreshold()
    {
        var id = await RolloutDriver.StartAsync(_operator, Plan(maxDiff: null));
        await SendAsync(_anonymous, hours: [2, 12], requests: 40);

        var diff = await ShadowDiffAsync(id, rows: 40);

        var dimensions = diff.GetProperty("bySegment").EnumerateArray().Select(s => s.GetProperty("dimension").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "region", "hourOfDay", "feature.hour", "feature.device" }, dimensions);
        Assert.Equal(0.12, diff.GetProperty("decisionThreshold").GetDouble());
        Assert.Equal(20, Segment(diff, NightSegment).GetProperty("rows").GetInt32());
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public async Task Start_MaxDiffOutsideZeroToOne_IsRejectedNamingTheField(double maxDiff)
    {
        using var response = await _operator.PostAsJsonAsync("/api/rollouts", Plan(maxDiff));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("shadow.maxDiff", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static object Plan(double? maxDiff) => new
    {
        model = "ctr-ranker",
        candidateVersion = 3,
        owner = "ml-platform",
        strategy = "shadow",
        shadow = new { share = 1.0, maxDiff },
        steps = new[] { new { weight = 10.0, bakeSeconds = 3_600 } },
        guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
    };

    internal static async Task SendAsync(HttpClient anonymous, int[] hours, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            var features = new Dictionary<string, object?>
            {
                ["hour"] = hours[i % hours.Length],
                ["device"] = ClickWorld.Devices[i % 3],
                ["region"] = "eu",
                ["item_popularity"] = (i % 10) / 10.0,
                ["user_tenure_days"] = 30 + (i * 37 % 700),
                ["user_id"] = $"u{i}",
            };
            using var response = await anonymous.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features, region = "eu" });
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Waits until the mirrors of every request sent are logged and paired; returns <c>shadowDiff</c>.</summary>
    private async Task<JsonElement> ShadowDiffAsync(string id, int rows)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonElement diff;
        do
        {
            await Task.Delay(200, CancellationToken.None);
            diff = (await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}", CancellationToken.None)).GetProperty("shadowDiff");
        }
        while ((diff.ValueKind == JsonValueKind.Null || diff.GetProperty("rows").GetInt32() < rows) && !stop.IsCancellationRequested);

        Assert.Equal(rows, diff.GetProperty("rows").GetInt32());
        return diff;
    }

    internal static JsonElement Segment(JsonElement diff, string segment) =>
        diff.GetProperty("bySegment").EnumerateArray().Single(s => s.GetProperty("segment").GetString() == segment);
}
