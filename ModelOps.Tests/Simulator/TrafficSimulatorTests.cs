using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Tests.Serving.Inference;
using ModelOps.Web.Simulator;
using Xunit.Abstractions;

namespace ModelOps.Tests.Simulator;

public sealed class TrafficSimulatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RequestsPerArm = 4_000;
    private readonly InferenceAppFixture _app = new();

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Simulator:Seed"] = "7";
        _app.Factory.Settings["ModelOps:Inference:Calibration:Models:0"] = "none";
        await _app.InitializeAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task NightTraffic_V3ShowsWorseAdsThanV2_AndEarnsALowerClickRate()
    {
        var v2Night = await ClickRateAsync(2, night: true);
        var v3Night = await ClickRateAsync(3, night: true);
        var v2Day = await ClickRateAsync(2, night: false);
        var v3Day = await ClickRateAsync(3, night: false);
        output.WriteLine($"night v2 {v2Night} v3 {v3Night}; day v2 {v2Day} v3 {v3Day}");

        Assert.True(v3Night.Ctr < v2Night.Ctr - 0.03, $"night CTR v2 {v2Night.Ctr:0.000} vs v3 {v3Night.Ctr:0.000}");
        Assert.True(Math.Abs(v3Day.Ctr - v2Day.Ctr) < 0.03, $"day CTR v2 {v2Day.Ctr:0.000} vs v3 {v3Day.Ctr:0.000}");
    }

    private async Task<(double Ctr, double ShowRate)> ClickRateAsync(int version, bool night)
    {
        var router = _app.Factory.Services.GetRequiredService<TrafficRouter>();
        var simulator = _app.Factory.Services.GetRequiredService<TrafficSimulator>();
        var live = router.Current("ctr-ranker")!;
        if (live.RoutableVersions is not [var only] || only != version)
        {
            var applied = await router.ApplyAsync(RoutingTable.Single("ctr-ranker", version, live.Generation + 1).Value!, "test", $"measure v{version}", CancellationToken.None);
            Assert.True(applied.IsSuccess);
        }

        int[] hours = night ? [22, 23, 0, 1, 2, 3, 4, 5] : [9, 11, 13, 15, 17, 19];
        var shown = 0;
        var clicks = 0;
        for (var i = 0; i < RequestsPerArm; i++)
        {
            var clicked = await simulator.SendOneAsync(hours[i % hours.Length], CancellationToken.None);
            shown += clicked is null ? 0 : 1;
            clicks += clicked == true ? 1 : 0;
        }

        return ((double)clicks / Math.Max(1, shown), (double)shown / RequestsPerArm);
    }
}
