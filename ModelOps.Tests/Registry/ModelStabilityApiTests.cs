using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Registry;

/// <summary>Anti-flapping in the API: the chronic-failure flag on <c>GET /api/models</c> and <c>GET /api/models/{name}/stability</c>.</summary>
public sealed class ModelStabilityApiTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private HttpClient _reviewer = null!; // Set in InitializeAsync before any test runs.

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        _reviewer = await _factory.CreateClientForAsync("reviewer");
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        db.AddRange(
            new RegisteredModel { Name = "flappy", CreatedAt = _now.AddDays(-3), CreatedBy = "operator" },
            new RegisteredModel { Name = "steady", CreatedAt = _now.AddDays(-3), CreatedBy = "operator" });
        db.AddRange(
            RolloutRows.RolledBack("flappy", _now.AddHours(-20), "hard"),
            RolloutRows.RolledBack("flappy", _now.AddHours(-8), "approvalRevert"),
            RolloutRows.RolledBack("flappy", _now.AddHours(-1), "manual"),
            RolloutRows.RolledBack("steady", _now.AddHours(-2), "hard"));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        _reviewer.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Models_ThirdRollbackWithinADay_FlagsThatModelAndLeavesTheOtherNull()
    {
        var models = await _reviewer.GetFromJsonAsync<JsonElement>("/api/models");

        var byName = models.EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("chronicallyFailing")); // Names are required.
        Assert.Equal(JsonValueKind.Null, byName["steady"].ValueKind);
        var flag = byName["flappy"];
        Assert.Equal(3, flag.GetProperty("rollbacks").GetInt32());
        Assert.Equal(24, flag.GetProperty("periodHours").GetInt32());
        Assert.Equal(_now.AddHours(-20), flag.GetProperty("since").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Contains("feature toggle", flag.GetProperty("advice").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stability_ModelWithOneRollback_CountsItWithThresholdAndNoFlag()
    {
        var stability = await _reviewer.GetFromJsonAsync<JsonElement>("/api/models/steady/stability");

        Assert.Equal(1, stability.GetProperty("rollbacks").GetInt32());
        Assert.Equal(3, stability.GetProperty("threshold").GetInt32());
        Assert.Equal(JsonValueKind.Null, stability.GetProperty("chronicallyFailing").ValueKind);
    }

    [Fact]
    public async Task Stability_FlappingModel_CarriesTheFlag()
    {
        var stability = await _reviewer.GetFromJsonAsync<JsonElement>("/api/models/flappy/stability");

        Assert.Equal(3, stability.GetProperty("chronicallyFailing").GetProperty("rollbacks").GetInt32());
    }

    [Fact]
    public async Task Stability_UnknownModel_404Problem()
    {
        using var response = await _reviewer.GetAsync(new Uri("/api/models/nope/stability", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Rollbacks", "1")]
    [InlineData("PeriodHours", "0")]
    public void Start_ChronicFailureOptionOutOfRange_RefusesToStart(string key, string value)
    {
        using var factory = new ModelOpsAppFactory();
        factory.Settings[$"ModelOps:Rollouts:ChronicFailure:{key}"] = value;

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
