using System.Net;
using System.Net.Http.Json;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Inference;

public sealed class ApiKeyTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Inference:ApiKeys:0"] = "key-one";
        _app.Factory.Settings["ModelOps:Inference:ApiKeys:1"] = "key-two";
        await _app.InitializeAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Predict_KeysConfiguredAndNoKey_Returns401Problem()
    {
        using var response = await _app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features() });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Predict_WrongKey_Returns401Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/inference/ctr-ranker/predict") { Content = JsonContent.Create(new { features = InferenceAppFixture.Features() }) };
        request.Headers.Add("X-Api-Key", "key-three");

        using var response = await _app.Client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Predict_ConfiguredKey_Returns200AndHealthNeedsNoKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/inference/ctr-ranker/predict") { Content = JsonContent.Create(new { features = InferenceAppFixture.Features() }) };
        request.Headers.Add("X-Api-Key", "key-two");

        using var response = await _app.Client.SendAsync(request);
        using var live = await _app.Client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
