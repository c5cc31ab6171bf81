using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Audit.Checkpoints;

/// <summary>Each test gets its own app: these tests cut the database and the checkpoint file.</summary>
public sealed class AuditCheckpointApiTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private HttpClient _reviewer = null!; // Set in InitializeAsync.

    private string CheckpointPath => Path.Combine(_factory.DataDirectory, "audit", "checkpoints.jsonl");

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        _reviewer = await _factory.CreateClientForAsync("reviewer");
    }

    public async Task DisposeAsync()
    {
        _reviewer.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Latest_AfterStart_IsTheSignedHeadOfTheChainUnderTheKeyFile()
    {
        var verify = await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        var latest = await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/checkpoints/latest");

        Assert.Equal(verify.GetProperty("count").GetInt64(), latest.GetProperty("seq").GetInt64());
        Assert.Equal(CheckpointPayload.Genesis, latest.GetProperty("prevCheckpointHash").GetString());
        Assert.EndsWith("Z", latest.GetProperty("at").GetString(), StringComparison.Ordinal);
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_factory.DataDirectory, "keys", "audit-checkpoint.pem")));
        Assert.Equal(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), latest.GetProperty("publicKey").GetString());
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.Equal(1, verify.GetProperty("checkpoints").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Latest_CheckpointFileGone_Returns404Problem()
    {
        await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/checkpoints/latest");
        File.Delete(CheckpointPath);

        var response = await _reviewer.GetAsync(new Uri("/api/audit/checkpoints/latest", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Verify_NewestRowsDeletedBySql_ReportsInvalidWithTheMissingRange()
    {
        await AppendAndCheckpointAsync(3);
        var anchored = (await LatestAsync()).GetProperty("seq").GetInt64();
        await DeleteRowsAfterAsync(anchored - 2);

        var body = await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.Equal(anchored - 2, body.GetProperty("count").GetInt64());
        Assert.Equal(anchored - 1, body.GetProperty("missing").GetProperty("fromSeq").GetInt64());
        Assert.Equal(anchored, body.GetProperty("missing").GetProperty("toSeq").GetInt64());
    }

    [Fact]
    public async Task VerifyWithWitness_RowsAndCheckpointLinesCutTogether_StillReportsTheMissingRange()
    {
        var cutAfter = (await LatestAsync()).GetProperty("seq").GetInt64();
        await AppendAndCheckpointAsync(3);
        var witness = await LatestAsync();
        await AppendAndCheckpointAsync(2);
        await DeleteRowsAfterAsync(cutAfter);
        var kept = (await File.ReadAllLinesAsync(CheckpointPath)).Where(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64() <= cutAfter);
        await File.WriteAllLinesAsync(CheckpointPath, kept);
        var alone = await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        using var response = await _reviewer.PostAsJsonAsync("/api/audit/verify", witness);

        Assert.True(alone.GetProperty("valid").GetBoolean(), "the server's own evidence was cut consistently");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.Equal(cutAfter + 1, body.GetProperty("missing").GetProperty("fromSeq").GetInt64());
        Assert.Equal(witness.GetProperty("seq").GetInt64(), body.GetProperty("missing").GetProperty("toSeq").GetInt64());
    }

    [Fact]
    public async Task VerifyWithWitness_IntactChain_IsValid()
    {
        var witness = await LatestAsync();
        await AppendAndCheckpointAsync(2);

        using var response = await _reviewer.PostAsJsonAsync("/api/audit/verify", witness);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("valid").GetBoolean(), body.ToString());
    }

    [Theory]
    [InlineData("seq")]
    [InlineData("headHash")]
    [InlineData("otherKey")]
    public async Task VerifyWithWitness_ForgedCheckpoint_Returns400NamingSignature(string forgery)
    {
        var latest = CheckpointJson.Parse(Encoding.UTF8.GetBytes((await LatestAsync()).GetRawText())).Value!;
        using var other = CheckpointSigner.FromKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var forged = forgery switch
        {
            "seq" => latest with { Seq = latest.Seq + 5 },
            "headHash" => latest with { HeadHash = new string('f', 64) },
            _ => other.Sign(latest.Seq + 5, latest.HeadHash, latest.At, latest.PrevCheckpointHash),
        };

        using var response = await _reviewer.PostAsync(new Uri("/api/audit/verify", UriKind.Relative), Json(CheckpointJson.Serialize(forged)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("signature", problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("{\"seq\":\"12\"}", "seq")]
    [InlineData("{\"seq\":3,\"headHash\":\"ABC\"}", "headHash")]
    public async Task VerifyWithWitness_MalformedBody_Returns400NamingTheField(string body, string field)
    {
        using var response = await _reviewer.PostAsync(new Uri("/api/audit/verify", UriKind.Relative), Json(body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task VerifyWithWitness_InvalidUtf8Body_Returns400Problem()
    {
        using var content = new ByteArrayContent([(byte)'{', (byte)'"', 0xc3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        content.Headers.ContentType = new("application/json");

        using var response = await _reviewer.PostAsync(new Uri("/api/audit/verify", UriKind.Relative), content);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("body", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Verify_ForgedLineAppendedToCheckpointFile_ReportsTheFileInvalid()
    {
        var latest = CheckpointJson.Parse(Encoding.UTF8.GetBytes((await LatestAsync()).GetRawText())).Value!;
        using var other = CheckpointSigner.FromKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        await File.AppendAllTextAsync(CheckpointPath, CheckpointJson.Serialize(other.Sign(latest.Seq + 10, new string('e', 64), latest.At, latest.Hash())) + "\n");

        var body = await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.False(body.GetProperty("valid").GetBoolean());
        var checkpoints = body.GetProperty("checkpoints");
        Assert.False(checkpoints.GetProperty("valid").GetBoolean());
        Assert.Contains("line 2: its signature does not verify", checkpoints.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("missing").ValueKind);
    }

    private async Task<JsonElement> LatestAsync() =>
        await _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/checkpoints/latest");

    private async Task AppendAndCheckpointAsync(int rows)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        for (var i = 0; i < rows; i++)
        {
            await trail.AppendAsync(new AuditRecord("operator", "test.append", $"item:{i}"), CancellationToken.None);
        }

        // What the periodic timer does once a minute.
        var outcome = await scope.ServiceProvider.GetRequiredService<IAuditCheckpointer>().CheckpointAsync(CancellationToken.None);
        Assert.Equal(CheckpointStatus.Written, outcome.Status);
    }

    /// <summary>An attacker with write access to the database, outside the app's audited writes.</summary>
    private async Task DeleteRowsAfterAsync(long seq)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        Assert.True(await db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditLog" WHERE "Seq" > {0}""", seq) > 0);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
