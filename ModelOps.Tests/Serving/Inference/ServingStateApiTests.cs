using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Inference;

public sealed class ServingStateApiTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Inference:Cache:Models:0"] = "ctr-ranker";
        _app.Factory.Settings["ModelOps:Inference:Log:FlushIntervalMs"] = "20";
        _app.Factory.Settings["ModelOps:Inference:Sessions:RetireGraceSeconds"] = "0";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Cache_RepeatedInput_HitsAndVersionsKeepSeparateNamespaces()
    {
        var cache = _app.Factory.Services.GetRequiredService<PredictionCache>();
        var first = await _app.PredictAsync(new { features = InferenceAppFixture.Features(hour: 4) });
        var second = await _app.PredictAsync(new { features = InferenceAppFixture.Features(hour: 4) });

        Assert.Equal(first.GetProperty("score").GetDouble(), second.GetProperty("score").GetDouble(), 12);
        var v2 = cache.Stats().Single(s => s.Model == "ctr-ranker" && s.Version == 2);
        Assert.Equal(1, v2.Hits);
        Assert.Equal(1, v2.Misses);
        Assert.DoesNotContain(cache.Stats(), s => s.Version == 3 && s.Hits > 0);
    }

    [Fact]
    public async Task Cache_VersionRetiredAndDisposed_ItsNamespaceIsEvicted()
    {
        var cache = _app.Factory.Services.GetRequiredService<PredictionCache>();
        var pool = _app.Factory.Services.GetRequiredService<SessionPool>();
        var router = _app.Factory.Services.GetRequiredService<ITrafficRouter>();
        await router.ChangeAsync("ctr-ranker", new RoutingChange([new RouteWeight(3, 100)], null, null, null, null, "all to v3", null), "test", CancellationToken.None);
        for (var hour = 0; hour < 5; hour++)
        {
            await _app.PredictAsync(new { features = InferenceAppFixture.Features(hour: hour) });
        }

        var before = cache.Stats().Single(s => s.Version == 3).Entries;
        await router.ChangeAsync("ctr-ranker", new RoutingChange([new RouteWeight(2, 100)], null, null, null, null, "back to v2", null), "test", CancellationToken.None);
        // v3 is no longer wanted and the grace period is 0 here, so it retires at once; with no lease open it is disposed.
        pool.RetireExpired();

        Assert.Equal(5, before);
        Assert.DoesNotContain(cache.Stats(), s => s.Model == "ctr-ranker" && s.Version == 3);
        Assert.DoesNotContain(pool.States(), s => s.Model == "ctr-ranker" && s.Version == 3);
    }

    [Fact]
    public async Task Prewarm_FromTheInferenceLog_FillsTheNamespaceAndIsAudited()
    {
        for (var hour = 0; hour < 10; hour++)
        {
            await _app.PredictAsync(new { features = InferenceAppFixture.Features(hour: hour) });
        }

        var cache = _app.Factory.Services.GetRequiredService<PredictionCache>();
        var digest = (await _operator.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/versions/2")).GetProperty("digest").GetString()!;
        cache.Evict(digest);
        var reader = _app.Factory.Services.GetRequiredService<InferenceLogReader>();
        for (var attempt = 0; attempt < 100 && (await reader.RecentInputsAsync("ctr-ranker", 2, 50, CancellationToken.None)).Count < 10; attempt++)
        {
            await Task.Delay(50); // the log commits in batches off the request path
        }

        using var response = await _operator.PostAsync(new Uri("/api/models/ctr-ranker/versions/2/cache/prewarm?limit=50", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
        var audit = await _operator.GetFromJsonAsync<JsonElement>("/api/audit?action=cache.prewarmed");
        Assert.Single(audit.EnumerateArray());
    }

    [Fact]
    public async Task CalibrationSnapshot_RestoreAfterChange_BringsBackTheSavedParameters()
    {
        var registry = _app.Factory.Services.GetRequiredService<CalibrationRegistry>();
        registry.Set("ctr-ranker", 2, new CalibrationState(1.5, -0.25, 100));
        using var taken = await _operator.PostAsJsonAsync("/api/models/ctr-ranker/versions/2/calibration/snapshots", new { reason = "before canary" });
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        var id = (await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        registry.Set("ctr-ranker", 2, new CalibrationState(0.5, 1, 900));

        using var restored = await _operator.PostAsync(new Uri($"/api/calibration/snapshots/{id}/restore", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(new CalibrationState(1.5, -0.25, 100), registry.Get("ctr-ranker", 2));
    }

    [Fact]
    public async Task CalibrationRestore_UnknownId_Returns404AndReviewerGets403()
    {
        using var reviewer = await _app.Factory.CreateClientForAsync("reviewer");

        using var unknown = await _operator.PostAsync(new Uri("/api/calibration/snapshots/cal-nope/restore", UriKind.Relative), null);
        using var denied = await reviewer.PostAsync(new Uri("/api/calibration/snapshots/cal-nope/restore", UriKind.Relative), null);

        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(denied, HttpStatusCode.Forbidden);
    }
}
