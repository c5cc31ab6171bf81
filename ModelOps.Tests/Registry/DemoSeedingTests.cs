using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Registry;

public sealed class DemoSeedingTests
{
    [Fact]
    public async Task DemoMode_FirstStart_SeedsCtrRankerWithChampionV2AndV3WorseAtNight()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = await factory.CreateClientForAsync("reviewer");

        var models = await client.GetFromJsonAsync<JsonElement[]>("/api/models");
        var versions = await client.GetFromJsonAsync<JsonElement[]>("/api/models/ctr-ranker/versions");

        var ctr = Assert.Single(models!, m => m.GetProperty("name").GetString() == "ctr-ranker");
        Assert.Equal(2, ctr.GetProperty("aliases").GetProperty("champion").GetInt32());
        Assert.Equal(3, ctr.GetProperty("latestVersion").GetInt32());
        double Metric(int v, string name) => versions![v - 1].GetProperty("metrics").GetProperty(name).GetDouble();
        Assert.True(Metric(3, "auc_night") < Metric(2, "auc_night") - 0.02);
        Assert.True(Math.Abs(Metric(3, "auc_day") - Metric(2, "auc_day")) < 0.01);
        Assert.Equal("ctr-features@2", versions![1].GetProperty("encoderVersion").GetString());
    }
}
