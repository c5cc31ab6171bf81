using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Tests.Serving.Inference;

/// <summary>Routing swaps are one reference swap: requests in flight during flips never fail.</summary>
public sealed class SwapUnderLoadTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Flip_100TimesUnderConcurrentLoad_NoRequestFailsAndBothVersionsAnswer()
    {
        var server = _app.Factory.Services.GetRequiredService<ModelServer>();
        var router = _app.Factory.Services.GetRequiredService<TrafficRouter>();
        var features = new Dictionary<string, FeatureValue>(StringComparer.Ordinal)
        {
            ["hour"] = FeatureValue.FromNumber(21),
            ["device"] = FeatureValue.FromText("mobile"),
            ["item_popularity"] = FeatureValue.FromNumber(0.5),
        };
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var answeredBy = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await server.PredictAsync(new PredictRequest("ctr-ranker", features, null, null), CancellationToken.None);
                if (answer.IsSuccess)
                {
                    answeredBy.AddOrUpdate(answer.Value.Version, 1, (_, n) => n + 1);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();

        for (var flip = 0; flip < 100; flip++)
        {
            var live = router.Current("ctr-ranker")!;
            var to = flip % 2 == 0 ? 3 : 2;
            var table = RoutingTable.BlueGreen("ctr-ranker", 5 - to, to, live.Generation + 1).Value!;
            var applied = await router.ApplyAsync(table, "test", $"flip {flip}", CancellationToken.None);
            Assert.True(applied.IsSuccess, applied.Error?.Detail);
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(0, failures);
        Assert.True(answeredBy.GetValueOrDefault(2) > 0 && answeredBy.GetValueOrDefault(3) > 0, string.Join(", ", answeredBy));
    }
}
