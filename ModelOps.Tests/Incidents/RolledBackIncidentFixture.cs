using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Incidents.Verification;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Incidents;

/// <summary>
/// One automatic rollback on the real app, shared by the tests that only read its incident (the
/// scenario costs tens of seconds on two cores): the demo's v3 canary slowed down by chaos, rolled
/// back by the real judge, the fault cleared, traffic until verification has a result.
/// </summary>
public sealed class RolledBackIncidentFixture : IAsyncLifetime
{
    public InferenceAppFixture App { get; } = new();

    public HttpClient Operator { get; private set; } = null!; // Set in InitializeAsync.

    public HttpClient Reviewer { get; private set; } = null!;

    public string RolloutId { get; private set; } = "";

    public string IncidentId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        App.Factory.Settings["ModelOps:Incidents:SampleSize"] = "50";
        App.Factory.Settings["ModelOps:Incidents:SampleSeed"] = "7";
        await App.InitializeAsync();
        Operator = await App.Factory.CreateClientForAsync("operator");
        Reviewer = await App.Factory.CreateClientForAsync("reviewer");
        (RolloutId, IncidentId) = await IncidentScenario.RollBackAsync(App, Operator);
        await IncidentScenario.ClearFaultsAsync(Operator);
        await IncidentScenario.TrafficUntilVerifiedAsync(App, Reviewer, IncidentId, TimeSpan.FromSeconds(40));
    }

    public Task<JsonElement> IncidentAsync() => Reviewer.GetFromJsonAsync<JsonElement>($"/api/incidents/{IncidentId}");

    public async Task DisposeAsync()
    {
        Operator.Dispose();
        Reviewer.Dispose();
        await App.DisposeAsync();
    }
}
