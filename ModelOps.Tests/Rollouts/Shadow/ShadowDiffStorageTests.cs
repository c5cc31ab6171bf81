using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;

namespace ModelOps.Tests.Rollouts.Shadow;

/// <summary>
/// The shadow diff is computed by the evaluator's look and stored; <c>GET /api/rollouts/{id}</c>
/// serves the stored report and never re-reads the mirrored pairs, and <c>advance</c> judges the
/// stored one (computing it once when none is stored yet). Refresh here: once an hour.
/// </summary>
public sealed class ShadowDiffStorageTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        _app.Settings["ModelOps:Rollouts:ShadowDiff:RefreshSeconds"] = "3600";
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
    public async Task Get_MirroredTrafficAfterTheStoredReport_ServesTheStoredReportUnchanged()
    {
        var id = await RolloutDriver.StartAsync(_operator, ShadowDiffApiTests.Plan(maxDiff: 0.3));
        var first = await StoredDiffAsync(id);
        await ShadowDiffApiTests.SendAsync(_anonymous, hours: [2, 12], requests: 40);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the log writer flushes every 200 ms: the mirrors are in the log now

        var again = (await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}")).GetProperty("shadowDiff");
        var third = (await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}")).GetProperty("shadowDiff");

        Assert.Equal(first.GetProperty("computedAt").GetDateTimeOffset(), again.GetProperty("computedAt").GetDateTimeOffset());
        Assert.Equal(first.GetProperty("computedAt").GetDateTimeOffset(), third.GetProperty("computedAt").GetDateTimeOffset());
        Assert.Equal(first.GetProperty("rows").GetInt32(), third.GetProperty("rows").GetInt32());
        Assert.True(third.GetProperty("rows").GetInt32() < 40, $"the 40 mirrored pairs were re-read from the log: {third}");
    }

    [Fact]
    public async Task Advance_NothingStoredYetAndTheNightSegmentAboveMaxDiff_ComputesOnceStoresAndRefusesNamingTheSegment()
    {
        await EngineStandby.EnterAsync(_app.Services); // no evaluator look: nothing is stored before advance
        var id = await RolloutDriver.StartAsync(_operator, ShadowDiffApiTests.Plan(maxDiff: 0.3));
        await ShadowDiffApiTests.SendAsync(_anonymous, hours: [2, 12, 12, 12], requests: 240);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = (await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}")).GetProperty("shadowDiff");

        using var advance = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/advance", new { reason = "looks fine" });

        Assert.Equal(JsonValueKind.Null, before.ValueKind);
        var problem = await ProblemAssert.IsProblemAsync(advance, HttpStatusCode.Conflict);
        Assert.Contains(ShadowDiffApiTests.NightSegment, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var stored = (await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}")).GetProperty("shadowDiff");
        Assert.Equal(240, stored.GetProperty("rows").GetInt32());
        Assert.True(ShadowDiffApiTests.Segment(stored, ShadowDiffApiTests.NightSegment).GetProperty("flipShare").GetDouble() > 0.3, stored.ToString());
    }

    /// <summary>The report once the evaluator's first look has stored it.</summary>
    private async Task<JsonElement> StoredDiffAsync(string id)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonElement diff;
        do
        {
            await Task.Delay(200, CancellationToken.None);
            diff = (await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}", CancellationToken.None)).GetProperty("shadowDiff");
        }
        while (diff.ValueKind == JsonValueKind.Null && !stop.IsCancellationRequested);

        Assert.NotEqual(JsonValueKind.Null, diff.ValueKind);
        return diff;
    }
}
