using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Inference;

public sealed class InferenceApiTests(InferenceAppFixture app) : IClassFixture<InferenceAppFixture>
{
    private static readonly string Row32 = string.Join(",", Enumerable.Repeat("0.1", 32));

    [Fact]
    public async Task Predict_DemoChampion_AnswersV2WithItsPairedEncoderAndHeader()
    {
        using var response = await app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("X-Model-Version").Single());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("modelVersion").GetInt32());
        Assert.Equal("ctr-features@2", body.GetProperty("encoderVersion").GetString());
        var score = body.GetProperty("score").GetDouble();
        Assert.InRange(score, 0.0001, 0.9999);
        Assert.Equal(32, body.GetProperty("requestId").GetString()!.Length);
    }

    [Fact]
    public async Task Infer_OipTensor_ReturnsOutputsAndVersionHeader()
    {
        var body = $$"""{"id":"req-1","inputs":[{"name":"input","shape":[2,32],"datatype":"FP32","data":[[{{Row32}}],[{{Row32}}]]}]}""";
        using var response = await app.Client.PostAsync(new Uri("/v2/models/ctr-ranker/infer", UriKind.Relative), Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("X-Model-Version").Single());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ctr-ranker", answer.GetProperty("modelName").GetString());
        Assert.Equal("2", answer.GetProperty("modelVersion").GetString());
        Assert.Equal("req-1", answer.GetProperty("id").GetString());
        var output = answer.GetProperty("outputs")[0];
        Assert.Equal("probability", output.GetProperty("name").GetString());
        Assert.Equal([2, 1], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var data = output.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()).ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal(data[0], data[1], 6);
    }

    [Fact]
    public async Task Metadata_ServedModel_ListsVersionsPlatformAndSignature()
    {
        var body = await app.Client.GetFromJsonAsync<JsonElement>("/v2/models/ctr-ranker");

        Assert.Equal("onnxruntime", body.GetProperty("platform").GetString());
        Assert.Contains("2", body.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("input", body.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal("FP32", body.GetProperty("inputs")[0].GetProperty("datatype").GetString());
    }

    [Fact]
    public async Task ServerMetadata_V2_NamesTheServer()
    {
        var body = await app.Client.GetFromJsonAsync<JsonElement>("/v2");

        Assert.Equal("modelops", body.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("extensions").ValueKind);
    }

    [Fact]
    public async Task Ready_ServedModelWarm_Returns200AndUnknownModel404()
    {
        using var ready = await app.Client.GetAsync(new Uri("/v2/models/ctr-ranker/ready", UriKind.Relative));
        using var unknown = await app.Client.GetAsync(new Uri("/v2/models/no-such-model/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,31],"datatype":"FP32","data":[1]}]}""", "inputs[0].data")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", "inputs[0].shape")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,32],"datatype":"INT64","data":[ROW]}]}""", "inputs[0].datatype")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,32],"datatype":"FLOAT","data":[ROW]}]}""", "inputs[0].datatype")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"other","shape":[1,32],"datatype":"FP32","data":[ROW]}]}""", "inputs[0].name")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[]}""", "inputs")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"id":"x"}""", "inputs")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[-1,32],"datatype":"FP32","data":[ROW]}]}""", "inputs[0].shape")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[99999999999,32],"datatype":"FP32","data":[ROW]}]}""", "inputs[0].shape")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,32],"datatype":"FP32","data":["a",ROW]}]}""", "inputs[0].data")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,1],"datatype":"FP32","data":[1e39]}]}""", "inputs[0].data")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[1,1],"datatype":"FP32","data":[1e400]}]}""", "inputs[0].data")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs":[{"name":"input","shape":[300,32],"datatype":"FP32","data":[]}]}""", "inputs[0].data")]
    [InlineData("/v2/models/ctr-ranker/infer", """{"inputs": [""", "body")]
    [InlineData("/v2/models/ctr-ranker/infer", """[1,2]""", "body")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":3,"device":"mobile","item_popularity":0.5,"shoe_size":42}}""", "features.shoe_size")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":3,"item_popularity":0.5}}""", "features.device")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":"three","device":"mobile","item_popularity":0.5}}""", "features.hour")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":3,"device":7,"item_popularity":0.5}}""", "features.device")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":[3],"device":"mobile","item_popularity":0.5}}""", "features.hour")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":true,"device":"mobile","item_popularity":0.5}}""", "features.hour")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":1e400,"device":"mobile","item_popularity":0.5}}""", "features.hour")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":"hour=3"}""", "features")]
    [InlineData("/inference/ctr-ranker/predict", """{"features":{"hour":3,"device":"mobile","item_popularity":0.5},"routingKey":5}""", "routingKey")]
    [InlineData("/inference/feedback", """{"outcome":1}""", "requestId")]
    [InlineData("/inference/feedback", """{"requestId":"abc","outcome":"yes"}""", "outcome")]
    public async Task BadInput_Returns400ProblemNamingTheField(string path, string body, string field)
    {
        using var response = await app.Client.PostAsync(new Uri(path, UriKind.Relative), Json(body.Replace("ROW", Row32, StringComparison.Ordinal)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Infer_UnknownModel_Returns404Problem()
    {
        using var response = await app.Client.PostAsync(new Uri("/v2/models/nope/infer", UriKind.Relative), Json($$"""{"inputs":[{"name":"input","shape":[1,32],"datatype":"FP32","data":[{{Row32}}]}]}"""));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Infer_BodyOverLimit_Returns413Problem()
    {
        var huge = string.Join(",", Enumerable.Repeat("0.123456789", 120_000));
        using var response = await app.Client.PostAsync(new Uri("/v2/models/ctr-ranker/infer", UriKind.Relative), Json($$"""{"inputs":[{"name":"input","shape":[1,120000],"datatype":"FP32","data":[{{huge}}]}]}"""));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxRequestBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_KnownRequest_Returns202AndCountsOutcomeInMetrics()
    {
        var store = app.Factory.Services.GetRequiredService<ServingMetricsStore>();
        var before = store.Totals().Where(t => t.Key.Model == "ctr-ranker").Sum(t => t.OutcomeCount);
        var prediction = await app.PredictAsync(new { features = InferenceAppFixture.Features() });

        using var response = await app.Client.PostAsJsonAsync("/inference/feedback", new { requestId = prediction.GetProperty("requestId").GetString(), outcome = 1 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(before + 1, store.Totals().Where(t => t.Key.Model == "ctr-ranker").Sum(t => t.OutcomeCount));
    }

    [Fact]
    public async Task Feedback_UnknownRequestId_Returns404Problem()
    {
        using var response = await app.Client.PostAsJsonAsync("/inference/feedback", new { requestId = "never-issued", outcome = 1 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Predict_Served_IsLoggedWithPersonalFeatureMasked()
    {
        var prediction = await app.PredictAsync(new { features = InferenceAppFixture.Features(userId: "u424242") });
        var requestId = prediction.GetProperty("requestId").GetString()!;

        var entry = await WaitForLogAsync(requestId);

        Assert.Equal("ctr-ranker", entry.Model);
        Assert.Equal(2, entry.Version);
        Assert.Equal("ctr-features@2", entry.Encoder);
        Assert.Equal("baseline", entry.Arm);
        Assert.Equal("ok", entry.Status);
        Assert.DoesNotContain("u424242", entry.FeaturesJson, StringComparison.Ordinal);
        Assert.Contains("\"user_id\":\"***\"", entry.FeaturesJson, StringComparison.Ordinal);
        Assert.Equal(prediction.GetProperty("score").GetDouble(), entry.Score!.Value, 9);
    }

    [Fact]
    public async Task Predict_RecordsPerVersionMetricsAndFeatureCounts()
    {
        var metrics = app.Factory.Services.GetRequiredService<ServingMetricsStore>();
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);

        for (var i = 0; i < 5; i++)
        {
            await app.PredictAsync(new { features = InferenceAppFixture.Features(hour: i) });
        }

        var window = metrics.Query("ctr-ranker", 2, Arm.Baseline, from, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(window.Requests >= 5, $"requests {window.Requests}");
        Assert.NotNull(window.LatencyP95Ms);
        Assert.True(window.Features["hour"].Observations >= 5);
        Assert.Equal(24, window.Features["hour"].BinCounts.Count); // v2's 23 hour buckets → 24 bins
        Assert.True(window.Features["hour"].BinCounts.Take(5).All(count => count >= 1));
    }

    private async Task<InferenceLogEntry> WaitForLogAsync(string requestId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var entry = app.Factory.Service(sp => sp.GetRequiredService<InferenceLogDbContext>().Set<InferenceLogEntry>().SingleOrDefault(e => e.RequestId == requestId));
            if (entry is not null)
            {
                return entry;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Request {requestId} never reached the inference log.");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
