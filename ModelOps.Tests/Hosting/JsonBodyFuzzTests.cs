using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;
using Xunit.Abstractions;

namespace ModelOps.Tests.Hosting;

/// <summary>
/// Byte-level fuzzing of every endpoint that reads a JSON body, found from the app's endpoint
/// data source: no byte sequence may get a 5xx, and every 4xx is problem+json with a detail.
/// It runs on its own app and data directory: near-valid bodies really move aliases, change
/// routing, inject chaos and start the simulator, which would disturb any shared fixture.
/// </summary>
public sealed class JsonBodyFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20260807;
    private const int BodiesPerJsonRoute = 600;

    // Routes that read no body still get a few, so one that starts reading the body by hand is not missed entirely.
    private const int BodiesPerOtherRoute = 10;

    // Today: token, encoders, alias move, routing, calibration snapshot, chaos, infer, predict, feedback.
    private const int ExpectedJsonRoutes = 9;

    private static readonly string?[] OddContentTypes =
        [null, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/json; charset=bogus"];

    private readonly ModelOpsAppFactory _factory = new();
    private HttpClient _admin = null!; // Set in InitializeAsync before the test runs.

    public async Task InitializeAsync() => _admin = await _factory.CreateClientForAsync("admin");

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Fuzz_MutatedBytesOnEveryJsonRoute_NeverA5xxAndEvery4xxIsAProblem()
    {
        var routes = FuzzedRoutes();
        var jsonRoutes = routes.Where(r => r.ReadsJson).Select(r => $"{r.Route.Method} {r.Route.Pattern}").ToList();
        Assert.True(jsonRoutes.Count >= ExpectedJsonRoutes, $"only {jsonRoutes.Count} JSON routes found: {string.Join(", ", jsonRoutes)}");
        var random = new Random(Seed);
        var mutator = new ByteMutator(random);
        var requestId = (await PredictAsync()).GetProperty("requestId").GetString()!; // a 200 predict always has one
        var plan = routes.SelectMany(r => Enumerable.Repeat(r.Route, r.ReadsJson ? BodiesPerJsonRoute : BodiesPerOtherRoute)).ToArray();
        random.Shuffle(plan); // interleaved, so state one route changes (routing, aliases) meets the others
        var figures = new FuzzFigures();

        foreach (var route in plan)
        {
            var body = mutator.Mutate(FuzzSeedBodies.For(route.Pattern, requestId));
            var contentType = random.Next(20) == 0 ? OddContentTypes[random.Next(OddContentTypes.Length)] : "application/json";
            using var response = await SendAsync(route.Method, MappedRoutes.Concrete(route.Pattern, FuzzSeedBodies.PathValues), body, contentType);
            await figures.RecordAsync($"{route.Method} {route.Pattern}", body, contentType, response);
            if (route.Pattern.StartsWith("/api/chaos", StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                // An injected fault answers inference with a deliberate 503; clear it before it can.
                (await _admin.DeleteAsync(new Uri("/api/chaos", UriKind.Relative))).EnsureSuccessStatusCode();
            }
        }

        figures.Print(output);
        Assert.True(plan.Length >= 5_000, $"only {plan.Length} bodies sent");
        Assert.True(figures.Failures.Count == 0, $"{figures.Failures.Count} bad answers; first ones:\n{string.Join("\n", figures.Failures.Take(10))}");
        await AssertHealthyAfterAsync();
    }

    /// <summary>
    /// Every POST/PUT/PATCH route of the API and the inference plane. Left out, by construction:
    /// /account/login and the Blazor pages (antiforgery-protected forms, not under these prefixes).
    /// Left out by name: the artifact upload, which reads multipart/form-data with an ONNX file
    /// (its bytes are fuzzed by the registry's own tests, and every mutant would be a slow model load).
    /// </summary>
    private List<(MappedRoute Route, bool ReadsJson)> FuzzedRoutes() =>
        [.. MappedRoutes.All(_factory.Services)
            .Where(r => r.Method is "POST" or "PUT" or "PATCH")
            .Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal) || IsInferencePlane(r.Pattern))
            .Where(r => r is not { Method: "POST", Pattern: "/api/models/{name}/versions" })
            .Select(r => (r, IsInferencePlane(r.Pattern) || AcceptsJson(r)))];

    // The inference plane reads every body as JSON by hand (InferenceBodyReader), so it declares no accepted content type.
    private static bool IsInferencePlane(string pattern) =>
        pattern.StartsWith("/v2/", StringComparison.Ordinal) || pattern.StartsWith("/inference/", StringComparison.Ordinal);

    private static bool AcceptsJson(MappedRoute route) =>
        route.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)) == true;

    private async Task<HttpResponseMessage> SendAsync(string method, string path, byte[] body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await _admin.SendAsync(request);
    }

    /// <summary>
    /// Chaos is cleared and the simulator stopped first: the fuzzer may have left either running,
    /// and both are deliberate state, not damage. Routing and aliases may point elsewhere now;
    /// a predict must still be answered by whatever version they name.
    /// </summary>
    private async Task AssertHealthyAfterAsync()
    {
        (await _admin.DeleteAsync(new Uri("/api/chaos", UriKind.Relative))).EnsureSuccessStatusCode();
        (await _admin.PostAsync(new Uri("/api/simulator/stop", UriKind.Relative), null)).EnsureSuccessStatusCode();
        using var ready = await _admin.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var score = (await PredictAsync()).GetProperty("score").GetDouble();
        Assert.InRange(score, 0, 1);
    }

    private async Task<JsonElement> PredictAsync()
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { features = InferenceAppFixture.Features() }), Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync(new Uri("/inference/ctr-ranker/predict", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
