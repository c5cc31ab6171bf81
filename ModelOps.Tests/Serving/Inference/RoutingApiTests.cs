using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Inference;

/// <summary>Each test gets its own app: these tests change routing.</summary>
public sealed class RoutingApiTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Canary_SameRoutingKey_AlwaysLandsOnTheSameVersion()
    {
        await ApplyAsync(new { weights = new[] { new { version = 2, percent = 50.0 }, new { version = 3, percent = 50.0 } }, baselineVersion = 2, candidateVersion = 3, reason = "canary 50%" });

        var byKey = new Dictionary<string, HashSet<int>>();
        for (var round = 0; round < 3; round++)
        {
            for (var user = 0; user < 40; user++)
            {
                var key = $"user-{user}";
                var answer = await _app.PredictAsync(new { features = InferenceAppFixture.Features(), routingKey = key });
                (byKey.TryGetValue(key, out var seen) ? seen : byKey[key] = []).Add(answer.GetProperty("modelVersion").GetInt32());
            }
        }

        Assert.All(byKey.Values, versions => Assert.Single(versions));
        var versionsUsed = byKey.Values.Select(v => v.Single()).ToHashSet();
        Assert.Equal([2, 3], versionsUsed.Order());
    }

    [Fact]
    public async Task RegionOverride_RegionAtZeroPercent_NeverGetsTheCandidate()
    {
        await ApplyAsync(new
        {
            weights = new[] { new { version = 2, percent = 50.0 }, new { version = 3, percent = 50.0 } },
            regions = new Dictionary<string, object> { ["apac"] = new[] { new { version = 2, percent = 100.0 }, new { version = 3, percent = 0.0 } } },
            baselineVersion = 2,
            candidateVersion = 3,
            reason = "apac stays on v2",
        });

        var apac = new List<int>();
        var elsewhere = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            apac.Add((await _app.PredictAsync(new { features = InferenceAppFixture.Features(), routingKey = $"k{i}", region = "apac" })).GetProperty("modelVersion").GetInt32());
            elsewhere.Add((await _app.PredictAsync(new { features = InferenceAppFixture.Features(), routingKey = $"k{i}", region = "eu" })).GetProperty("modelVersion").GetInt32());
        }

        Assert.All(apac, v => Assert.Equal(2, v));
        Assert.Contains(3, elsewhere);
    }

    [Fact]
    public async Task Apply_TwoOperatorsOnTheSameGeneration_OneWinsOneConflictsOneAuditRow()
    {
        var live = await _operator.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/routing");
        var generation = live.GetProperty("generation").GetInt64();
        var change = new { weights = new[] { new { version = 3, percent = 100.0 } }, baselineVersion = 2, candidateVersion = 3, reason = "flip", expectedGeneration = generation };

        var responses = await Task.WhenAll(
            _operator.PutAsJsonAsync("/api/models/ctr-ranker/routing", change),
            _operator.PutAsJsonAsync("/api/models/ctr-ranker/routing", change));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var audit = await _operator.GetFromJsonAsync<JsonElement>("/api/audit?action=routing.applied&model=ctr-ranker");
        Assert.Equal(1, audit.EnumerateArray().Count(row => row.GetProperty("details").GetRawText().Contains("\"flip\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Apply_AsReviewer_Returns403()
    {
        using var reviewer = await _app.Factory.CreateClientForAsync("reviewer");

        using var response = await reviewer.PutAsJsonAsync("/api/models/ctr-ranker/routing", new { weights = new[] { new { version = 3, percent = 100.0 } }, reason = "x" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Apply_InvalidWeights_Returns400NamingWeights()
    {
        using var response = await _operator.PutAsJsonAsync("/api/models/ctr-ranker/routing", new { weights = new[] { new { version = 2, percent = 60.0 }, new { version = 3, percent = 30.0 } }, reason = "bad sum" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("weights", problem.GetProperty("field").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChampionAliasMove_ServingFollowsInOneSwap()
    {
        using var moved = await _operator.PutAsJsonAsync("/api/models/ctr-ranker/aliases/champion", new { version = 1, reason = "roll back to v1" });
        moved.EnsureSuccessStatusCode();

        var answer = await _app.PredictAsync(new { features = InferenceAppFixture.Features() });

        Assert.Equal(1, answer.GetProperty("modelVersion").GetInt32());
        Assert.Equal("ctr-features@1", answer.GetProperty("encoderVersion").GetString());
        var pool = _app.Factory.Services.GetRequiredService<SessionPool>();
        Assert.Contains(pool.States(), s => s.Version == 2 && s.RetiresAt is not null);
    }

    [Fact]
    public async Task Shadow_MirrorsToCandidateWithoutChangingTheAnswer()
    {
        await ApplyAsync(new { weights = new[] { new { version = 2, percent = 100.0 } }, shadow = new { version = 3, share = 1.0 }, baselineVersion = 2, candidateVersion = 3, reason = "shadow v3" });
        var metrics = _app.Factory.Services.GetRequiredService<ServingMetricsStore>();

        for (var i = 0; i < 20; i++)
        {
            var answer = await _app.PredictAsync(new { features = InferenceAppFixture.Features(), routingKey = $"s{i}" });
            Assert.Equal(2, answer.GetProperty("modelVersion").GetInt32());
        }

        var shadowed = 0L;
        for (var attempt = 0; attempt < 100 && shadowed < 20; attempt++)
        {
            await Task.Delay(50);
            shadowed = metrics.Totals().Where(t => t.Key == new ServingSeriesKey("ctr-ranker", 3, Arm.Shadow)).Sum(t => t.Ok);
        }

        Assert.Equal(20, shadowed);
    }

    [Fact]
    public async Task CandidateNoLongerHealthy_BaselineAnswersAndTheCandidateArmRecordsAFallback()
    {
        await ApplyAsync(new { weights = new[] { new { version = 2, percent = 0.0 }, new { version = 3, percent = 100.0 } }, baselineVersion = 2, candidateVersion = 3, reason = "all to v3" });
        var pool = _app.Factory.Services.GetRequiredService<SessionPool>();
        var router = _app.Factory.Services.GetRequiredService<RequestRouter>();
        var metrics = _app.Factory.Services.GetRequiredService<ServingMetricsStore>();
        var before = router.Fallbacks;

        pool.FindHealthy("ctr-ranker", 3)!.Retire(); // as a failed health check would: v3 is no longer routable
        var answer = await _app.PredictAsync(new { features = InferenceAppFixture.Features() });
        using var modelReady = await _app.Client.GetAsync(new Uri("/v2/models/ctr-ranker/ready", UriKind.Relative));

        var candidate = metrics.Totals().Single(t => t.Key == new ServingSeriesKey("ctr-ranker", 3, Arm.Candidate));
        var baseline = metrics.Totals().Where(t => t.Key == new ServingSeriesKey("ctr-ranker", 2, Arm.Baseline)).Sum(t => t.Requests);
        Assert.Equal(2, answer.GetProperty("modelVersion").GetInt32());
        Assert.Equal("candidate", answer.GetProperty("arm").GetString());
        Assert.Equal(before + 1, router.Fallbacks);
        // Recorded as a failure of the routed candidate, not as a clean baseline request.
        Assert.Equal((1, 0), (candidate.Fallbacks, candidate.Ok));
        Assert.Equal(0, baseline);
        await ProblemAssert.IsProblemAsync(modelReady, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task ChaosErrorRateOne_RequestsFailWith503AndCountAsErrors()
    {
        using var chaos = await _operator.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 2, errorRate = 1.0 });
        chaos.EnsureSuccessStatusCode();
        var metrics = _app.Factory.Services.GetRequiredService<ServingMetricsStore>();

        using var response = await _app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features() });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(1, metrics.Totals().Single(t => t.Key == new ServingSeriesKey("ctr-ranker", 2, Arm.Baseline)).Errors);
    }

    [Fact]
    public async Task ChaosKpiFactor_ScalesTheRecordedOutcome()
    {
        using var chaos = await _operator.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 2, kpiFactor = 0.5 });
        chaos.EnsureSuccessStatusCode();
        var metrics = _app.Factory.Services.GetRequiredService<ServingMetricsStore>();
        var answer = await _app.PredictAsync(new { features = InferenceAppFixture.Features() });

        using var feedback = await _app.Client.PostAsJsonAsync("/inference/feedback", new { requestId = answer.GetProperty("requestId").GetString(), outcome = 1 });

        Assert.Equal(HttpStatusCode.Accepted, feedback.StatusCode);
        Assert.Equal(0.5, metrics.Totals().Single(t => t.Key == new ServingSeriesKey("ctr-ranker", 2, Arm.Baseline)).OutcomeSum, 9);
    }

    [Fact]
    public async Task Apply_StaleGeneration_IsRefusedAndTheVersionWarmedForItRetires()
    {
        var router = _app.Factory.Services.GetRequiredService<TrafficRouter>();
        var pool = _app.Factory.Services.GetRequiredService<SessionPool>();
        var stale = RoutingTable.Single("ctr-ranker", 1, router.Current("ctr-ranker")!.Generation).Value!;

        var refused = await router.ApplyAsync(stale, "test", "stale change", CancellationToken.None);

        Assert.False(refused.IsSuccess);
        Assert.Equal(Core.Common.ErrorKind.Conflict, refused.Error.Kind);
        Assert.Equal(2, router.Current("ctr-ranker")!.RoutableVersions.Single());
        Assert.NotNull(pool.States().Single(s => s.Version == 1).RetiresAt);
    }

    [Fact]
    public async Task RoutingTable_SurvivesRestart()
    {
        await ApplyAsync(new { weights = new[] { new { version = 2, percent = 75.0 }, new { version = 3, percent = 25.0 } }, baselineVersion = 2, candidateVersion = 3, reason = "canary 25%" });
        var router = _app.Factory.Services.GetRequiredService<TrafficRouter>();
        var holder = new RoutingTableHolder();
        var restored = new TrafficRouter(
            holder,
            _app.Factory.Services.GetRequiredService<SessionPool>(),
            _app.Factory.Services.GetRequiredService<IServiceScopeFactory>(),
            TimeProvider.System,
            new SingleProcessRoutingAnnouncer(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TrafficRouter>.Instance);

        await restored.RestoreAsync(CancellationToken.None);

        Assert.Equal(router.Current("ctr-ranker")!.Generation, holder.Current("ctr-ranker")!.Generation);
        Assert.Equal(25, holder.Current("ctr-ranker")!.DefaultWeights.Single(w => w.Version == 3).Percent);
    }

    private async Task ApplyAsync(object change)
    {
        using var response = await _operator.PutAsJsonAsync("/api/models/ctr-ranker/routing", change);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
