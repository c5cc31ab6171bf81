using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Metrics;

public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private HttpClient _anonymous = null!; // Set in InitializeAsync before any test runs.

    public Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        _anonymous = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_RecordedTrafficOfSeveralSeries_PassesPromtoolCheck()
    {
        var store = _factory.Services.GetRequiredService<ServingMetricsStore>();
        var statuses = new[] { RequestStatus.Ok, RequestStatus.Ok, RequestStatus.Error, RequestStatus.Timeout };
        foreach (var (model, version, arm) in new[] { ("ctr-ranker", 1, Arm.Baseline), ("ctr-ranker", 2, Arm.Candidate), ("ctr-ranker", 2, Arm.Shadow), ("churn \"v\\2\"", 7, Arm.Baseline) })
        {
            for (var i = 0; i < 40; i++)
            {
                store.RecordRequest(model, version, arm, TimeSpan.FromMilliseconds(0.3 * (i + 1) * (i + 1)), statuses[i % statuses.Length]);
                store.RecordOutcome(model, version, arm, i % 3 == 0 ? 1 : 0);
            }
        }

        _factory.Services.GetRequiredService<ChaosBoard>().Set(ChaosFault.Create("ctr-ranker", 2, errorRate: 0.1).Value!); // Valid by construction.
        var body = await _anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);

        Assert.True(exitCode == 0 && string.IsNullOrWhiteSpace(output), $"promtool check metrics exited {exitCode}:\n{output}\n--- exposition ---\n{body}");
    }

    [Fact]
    public async Task Metrics_RecordedSeries_ExposesItsCountersAnonymouslyAsPrometheusText()
    {
        var store = _factory.Services.GetRequiredService<ServingMetricsStore>();
        foreach (var status in new[] { RequestStatus.Ok, RequestStatus.Ok, RequestStatus.Ok, RequestStatus.Error, RequestStatus.Error, RequestStatus.Timeout })
        {
            store.RecordRequest("churn", 3, Arm.Candidate, TimeSpan.FromMilliseconds(2), status);
        }

        foreach (var outcome in new[] { 1.0, 0.0, 0.5 })
        {
            store.RecordOutcome("churn", 3, Arm.Candidate, outcome);
        }

        var response = await _anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.True(response.IsSuccessStatusCode, $"GET /metrics without a token answered {(int)response.StatusCode}.");
        Assert.Equal(PrometheusTextWriter.ContentType, response.Content.Headers.ContentType?.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        const string Labels = "model=\"churn\",version=\"3\",arm=\"candidate\"";
        Assert.Contains($"modelops_inference_requests_total{{{Labels},status=\"ok\"}} 3", lines);
        Assert.Contains($"modelops_inference_requests_total{{{Labels},status=\"error\"}} 2", lines);
        Assert.Contains($"modelops_inference_requests_total{{{Labels},status=\"timeout\"}} 1", lines);
        Assert.Contains($"modelops_inference_latency_seconds_bucket{{{Labels},le=\"0.0025\"}} 6", lines);
        Assert.Contains($"modelops_inference_latency_seconds_count{{{Labels}}} 6", lines);
        Assert.Contains($"modelops_inference_feedback_outcomes_total{{{Labels}}} 3", lines);
        Assert.Contains($"modelops_inference_feedback_outcome_sum_total{{{Labels}}} 1.5", lines);
        Assert.Contains("modelops_chaos_faults_active 0", lines);
    }
}
