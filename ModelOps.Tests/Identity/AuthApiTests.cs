using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Identity;

namespace ModelOps.Tests.Identity;

public sealed class AuthApiTests : IClassFixture<ModelOpsAppFactory>
{
    private readonly ModelOpsAppFactory _factory;

    public AuthApiTests(ModelOpsAppFactory factory) => _factory = factory;

    [Theory]
    [InlineData("admin", "Admin")]
    [InlineData("operator", "Operator")]
    [InlineData("approver", "Approver")]
    [InlineData("reviewer", "Reviewer")]
    public async Task Token_DemoUser_ReturnsTokenWithRole(string user, string role)
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest(user, ModelOpsAppFactory.DemoPassword));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>();
        Assert.NotNull(body);
        Assert.False(string.IsNullOrEmpty(body.Token));
        Assert.Equal([role], body.Roles);
        Assert.True(body.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Token_WrongPassword_Returns401AndAuditsFailure()
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest("approver", "not-the-password"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        var failures = await CountAuditAsync("auth.login_failed", "approver");
        Assert.True(failures >= 1);
    }

    [Fact]
    public async Task Token_UserNameLongerThanTheAuditColumn_Returns401AndAuditsItClipped()
    {
        using var client = _factory.CreateClient();
        var userName = "intruder-" + new string('x', 600);

        var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest(userName, "not-the-password"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        var clipped = string.Concat(userName.AsSpan(0, AuditEntry.ActorMaxLength - 1), "…");
        Assert.Equal(1, await CountAuditAsync("auth.login_failed", clipped));
    }

    [Fact]
    public async Task Token_MalformedJson_Returns400Problem()
    {
        using var client = _factory.CreateClient();
        using var content = new StringContent("{\"username\":", System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/api/auth/token", UriKind.Relative), content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Token_FiveWrongPasswords_LocksTheAccount()
    {
        using var client = _factory.CreateClient();
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<ModelOps.Core.Identity.UserAdministration>();
            var created = await admin.CreateAsync("lockout-victim", "a-long-enough-password", ["Reviewer"], "test", CancellationToken.None);
            Assert.True(created.IsSuccess);
        }

        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/auth/token", new TokenRequest("lockout-victim", "wrong-password-x"));
        }

        var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest("lockout-victim", "a-long-enough-password"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("locked", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Console_Unauthenticated_RedirectsToLogin()
    {
        using var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/rollouts", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<int> CountAuditAsync(string action, string actor)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        return await db.Set<AuditEntry>().CountAsync(e => e.Action == action && e.Actor == actor);
    }
}
