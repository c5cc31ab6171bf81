using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelOps.Core.Demo;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Chaos;

public sealed class ChaosApiTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private HttpClient _operator = null!; // Set in InitializeAsync before any test runs.

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        _operator = await _factory.CreateClientForAsync("operator");
        foreach (var bias in new[] { 0.1f, 0.2f })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(Model(bias)), "artifact", "model.onnx" } };
            var registered = await _operator.PostAsync(new Uri("/api/models/chaos-model/versions", UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Post_AsOperator_Returns200WithFaultAndAuditsChaosSet()
    {
        var response = await _operator.PostAsJsonAsync("/api/chaos", new { model = "chaos-model", version = 2, addedLatencyMs = 150, errorRate = 0.1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fault = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("chaos-model", fault.GetProperty("model").GetString());
        Assert.Equal(150, fault.GetProperty("addedLatencyMs").GetDouble());
        Assert.Equal(1, fault.GetProperty("kpiFactor").GetDouble());
        var rows = await _operator.GetFromJsonAsync<JsonElement[]>("/api/audit?action=chaos.set");
        var row = Assert.Single(rows!);
        Assert.Equal("operator", row.GetProperty("actor").GetString());
        Assert.Equal("model:chaos-model/versions/2", row.GetProperty("target").GetString());
        Assert.Equal(0.1, row.GetProperty("details").GetProperty("errorRate").GetDouble());
        var active = await _operator.GetFromJsonAsync<JsonElement[]>("/api/chaos");
        Assert.Equal(2, Assert.Single(active!).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Post_AsReviewer_Returns403AndSetsNothing()
    {
        using var reviewer = await _factory.CreateClientForAsync("reviewer");

        var response = await reviewer.PostAsJsonAsync("/api/chaos", new { model = "chaos-model", version = 1, errorRate = 0.5 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty((await reviewer.GetFromJsonAsync<JsonElement[]>("/api/chaos"))!);
    }

    [Fact]
    public async Task Post_ErrorRateAboveOne_Returns400NamingErrorRate()
    {
        var response = await _operator.PostAsJsonAsync("/api/chaos", new { model = "chaos-model", version = 1, errorRate = 1.5 });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("errorRate", problem.GetProperty("field").GetString());
        Assert.Contains("between 0 and 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":1}""", "model")]
    [InlineData("""{"model":"chaos-model"}""", "version")]
    public async Task Post_TargetMissing_Returns400NamingTheField(string json, string field)
    {
        var response = await PostRawAsync(json);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"model":"chaos-model","version":"two"}""", "version")]
    [InlineData("""{"model":"chaos-model","version":1,"errorRate":}""", "errorRate")]
    public async Task Post_MalformedJson_Returns400NamingTheField(string json, string field)
    {
        var response = await PostRawAsync(json);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownVersion_Returns404NamingModelAndVersion()
    {
        var response = await _operator.PostAsJsonAsync("/api/chaos", new { model = "chaos-model", version = 9, errorRate = 0.2 });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("'chaos-model'", detail, StringComparison.Ordinal);
        Assert.Contains("version 9", detail, StringComparison.Ordinal);
        Assert.Empty((await _operator.GetFromJsonAsync<JsonElement[]>("/api/audit?action=chaos.set"))!);
    }

    [Fact]
    public async Task Delete_WithActiveFaults_ClearsThemAndAuditsTheList()
    {
        await _operator.PostAsJsonAsync("/api/chaos", new { model = "chaos-model", version = 1, kpiFactor = 0.8 });
        await _operator.PostAsJsonAsync("/api/chaos", new { model = "chaos-model", version = 2, addedLatencyMs = 500 });

        var response = await _operator.DeleteAsync(new Uri("/api/chaos", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cleared").GetInt32());
        Assert.Empty((await _operator.GetFromJsonAsync<JsonElement[]>("/api/chaos"))!);
        var row = Assert.Single((await _operator.GetFromJsonAsync<JsonElement[]>("/api/audit?action=chaos.cleared"))!);
        Assert.Equal("operator", row.GetProperty("actor").GetString());
        Assert.Equal(2, row.GetProperty("details").GetProperty("cleared").GetArrayLength());
    }

    [Fact]
    public async Task Delete_AsReviewer_Returns403()
    {
        using var reviewer = await _factory.CreateClientForAsync("reviewer");

        var response = await reviewer.DeleteAsync(new Uri("/api/chaos", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private Task<HttpResponseMessage> PostRawAsync(string json) =>
        _operator.PostAsync(new Uri("/api/chaos", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static byte[] Model(float bias) =>
        new LinearModelOnnxWriter().Serialize(new LinearModel([0.5f, 0.5f, 0.5f], bias));
}
