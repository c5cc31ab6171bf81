using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Demo;
using ModelOps.Core.Persistence;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Registry;

public sealed class RegistryApiTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private HttpClient _operator = null!; // Set in InitializeAsync before any test runs.

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        _factory.Settings["ModelOps:Registry:MaxArtifactBytes"] = "4096";
        _operator = await _factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Register_ValidOnnx_Returns201WithDigestAndSignature()
    {
        var bytes = Model(3, 0.5f);

        var response = await UploadAsync("churn", bytes, ("metrics", "{\"auc\":0.81}"), ("trainingRunId", "run-7"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), body.GetProperty("digest").GetString());
        Assert.Equal("input", body.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal("FP32", body.GetProperty("inputs")[0].GetProperty("datatype").GetString());
        Assert.Equal(3, body.GetProperty("inputs")[0].GetProperty("shape")[1].GetInt32());
        Assert.Equal(0.81, body.GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal("operator", body.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Register_SameBytesTwice_Returns200WithExistingVersion()
    {
        var bytes = Model(3, 0.1f);
        await UploadAsync("dup", bytes);

        var second = await UploadAsync("dup", bytes);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("random")]
    [InlineData("truncated")]
    public async Task Register_NotAnOnnxModel_Returns400NamingArtifact(string kind)
    {
        var valid = Model(3, 0.2f);
        var bytes = kind switch
        {
            "empty" => [],
            "random" => RandomNumberGenerator.GetBytes(300),
            _ => valid[..(valid.Length / 2)],
        };

        var response = await UploadAsync("broken", bytes);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("artifact", problem.GetProperty("field").GetString());
        Assert.DoesNotContain(_factory.DataDirectory, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var versions = await _operator.GetAsync(new Uri("/api/models/broken/versions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, versions.StatusCode);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"auc\":\"high\"}")]
    [InlineData("{not json")]
    public async Task Register_BadMetrics_Returns400NamingMetrics(string metrics)
    {
        var response = await UploadAsync("metrics-model", Model(3, 0.3f), ("metrics", metrics));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("metrics", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Register_InvalidModelName_Returns400StatingTheRule()
    {
        var response = await UploadAsync("Bad Name!", Model(3, 0.3f));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("lowercase", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_OverTheSizeLimit_Returns413()
    {
        var response = await UploadAsync("huge", Model(1200, 0.3f));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4096", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_TwentyConcurrentUploads_GetTwentyConsecutiveVersions()
    {
        var uploads = Enumerable.Range(0, 20).Select(i => UploadAsync("concurrent", Model(3, i)));

        var responses = await Task.WhenAll(uploads);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var versions = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32()));
        Assert.Equal(Enumerable.Range(1, 20), versions.Order());
    }

    [Fact]
    public async Task Artifact_AfterRegistration_ReturnsTheExactBytes()
    {
        var bytes = Model(4, 0.4f);
        await UploadAsync("bytes", bytes);

        var stored = await _operator.GetByteArrayAsync(new Uri("/api/models/bytes/versions/1/artifact", UriKind.Relative));

        Assert.Equal(bytes, stored);
    }

    [Fact]
    public async Task Alias_MovedTwice_HistoryListsBothNewestFirstAndDeleteIsRefused()
    {
        // Not "champion": serving follows champion, which would mark v1 as served (see the next test).
        await UploadAsync("aliased", Model(3, 1));
        await UploadAsync("aliased", Model(3, 2));
        await _operator.PutAsJsonAsync("/api/models/aliased/aliases/challenger", new { version = 1, reason = "first" });
        var moved = await _operator.PutAsJsonAsync("/api/models/aliased/aliases/challenger", new { version = 2, reason = "better" });

        var history = await _operator.GetFromJsonAsync<JsonElement[]>("/api/models/aliased/aliases/challenger/history");
        var refused = await _operator.DeleteAsync(new Uri("/api/models/aliased/versions/2", UriKind.Relative));
        var allowed = await _operator.DeleteAsync(new Uri("/api/models/aliased/versions/1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal([2, 1], history!.Select(h => h.GetProperty("version").GetInt32()));
        Assert.Equal("better", history![0].GetProperty("reason").GetString());
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("challenger", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
    }

    [Fact]
    public async Task Delete_VersionChampionOnceServed_IsRefusedAfterTheAliasMovesOn()
    {
        await UploadAsync("served", Model(3, 1));
        await UploadAsync("served", Model(3, 2));
        await _operator.PutAsJsonAsync("/api/models/served/aliases/champion", new { version = 1, reason = "first release" });
        await _operator.PutAsJsonAsync("/api/models/served/aliases/champion", new { version = 2, reason = "second release" });

        var refused = await _operator.DeleteAsync(new Uri("/api/models/served/versions/1", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("served traffic", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alias_WithoutReason_Returns400NamingReason()
    {
        await UploadAsync("noreason", Model(3, 1));

        var response = await _operator.PutAsJsonAsync("/api/models/noreason/aliases/champion", new { version = 1 });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("reason", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Register_EncoderWidthMismatch_Returns400NamingBothWidths()
    {
        var spec = new { name = "three", version = 1, features = new[] { new { name = "a", kind = "numeric" }, new { name = "b", kind = "numeric" }, new { name = "c", kind = "numeric" } } };
        var encoder = await _operator.PostAsJsonAsync("/api/encoders", spec);
        Assert.Equal(HttpStatusCode.OK, encoder.StatusCode);

        var response = await UploadAsync("widths", Model(5, 0.1f), ("encoderVersion", "three@1"));
        var matching = await UploadAsync("widths", Model(3, 0.1f), ("encoderVersion", "three@1"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("produces 3", detail, StringComparison.Ordinal);
        Assert.Contains("takes 5", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, matching.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/models/guarded/versions")]
    [InlineData("PUT", "/api/models/guarded/aliases/champion")]
    [InlineData("DELETE", "/api/models/guarded/versions/1")]
    [InlineData("POST", "/api/encoders")]
    public async Task Mutation_NoTokenOr_ReviewerRole_Is401Or403AndDenialAudited(string method, string url)
    {
        using var anonymous = _factory.CreateClient();
        using var reviewer = await _factory.CreateClientForAsync("reviewer");

        var unauthenticated = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) });
        var forbidden = await reviewer.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) });

        await ProblemAssert.IsProblemAsync(unauthenticated, HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        Assert.True(await db.Set<AuditEntry>().AnyAsync(e => e.Action == "authz.denied" && e.Actor == "reviewer" && e.Target == $"{method} {url}"));
    }

    private async Task<HttpResponseMessage> UploadAsync(string model, byte[] bytes, params (string Name, string Value)[] parts)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "artifact", "model.onnx" } };
        foreach (var (name, value) in parts)
        {
            form.Add(new StringContent(value), name);
        }

        return await _operator.PostAsync(new Uri($"/api/models/{Uri.EscapeDataString(model)}/versions", UriKind.Relative), form);
    }

    private static byte[] Model(int width, float bias) =>
        new LinearModelOnnxWriter().Serialize(new LinearModel([.. Enumerable.Repeat(0.5f, width)], bias));

}
