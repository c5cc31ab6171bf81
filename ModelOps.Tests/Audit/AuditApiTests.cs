using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Audit;

public sealed class AuditApiTests
{
    [Fact]
    public async Task Verify_AfterSeeding_IsValidWithEveryRow()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = await factory.CreateClientForAsync("reviewer");

        var body = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.True(body.GetProperty("count").GetInt64() >= 4);
    }

    [Fact]
    public async Task Verify_RowEditedInDatabase_ReportsFirstBrokenSeq()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = await factory.CreateClientForAsync("reviewer");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            await db.Database.ExecuteSqlRawAsync("""UPDATE "AuditLog" SET "Details" = {0} WHERE "Seq" = 2""", "{\"roles\":[\"Admin\"]}");
        }

        var body = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.Equal(2, body.GetProperty("firstBrokenSeq").GetInt64());
    }

    [Fact]
    public async Task List_FilterByAction_ReturnsOnlyThatActionWithObjectDetails()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = await factory.CreateClientForAsync("reviewer");

        var rows = await client.GetFromJsonAsync<JsonElement[]>("/api/audit?action=user.created&actor=system");

        Assert.NotNull(rows);
        Assert.Equal(4, rows.Length);
        Assert.All(rows, r => Assert.Equal("user.created", r.GetProperty("action").GetString()));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Object, r.GetProperty("details").ValueKind));
        Assert.All(rows, r => Assert.Equal(64, r.GetProperty("hash").GetString()!.Length));
    }

    [Fact]
    public async Task Export_Csv_HasHeaderAndOneLinePerRow()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = await factory.CreateClientForAsync("reviewer");

        var csv = await client.GetStringAsync(new Uri("/api/audit/export?format=csv&action=user.created", UriKind.Relative));

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("seq,at,actor,action,target,model,details,hash,prevHash", lines[0]);
        Assert.Equal(5, lines.Length);
    }

    [Theory]
    [InlineData("/api/audit/export?format=xml", "format")]
    [InlineData("/api/audit?from=yesterday", "from/to")]
    public async Task Query_BadParameter_Returns400NamingIt(string url, string field)
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = await factory.CreateClientForAsync("reviewer");

        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Verify_NoToken_Returns401Problem()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/api/audit/verify", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
