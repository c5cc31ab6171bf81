using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Identity;

namespace ModelOps.Tests.Identity;

/// <summary>
/// Every mutating /api endpoint the app maps (found from its endpoint data source, so a new
/// endpoint is covered without editing this test): 401 without a token, 403 for each demo role
/// its policies do not admit, and every denial audited.
/// </summary>
public sealed class EndpointAuthorizationTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string[]> RolesOfPolicy = new()
    {
        [Policies.Admin] = ["admin"],
        [Policies.Operator] = ["operator", "admin"],
        [Policies.Approver] = ["approver", "admin"],
        [Policies.Reviewer] = ["reviewer", "operator", "approver", "admin"],
    };

    private static readonly Dictionary<string, string> PathValues = new() { ["name"] = "some-model", ["version"] = "1" };

    private readonly ModelOpsAppFactory _factory = new();

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        using var client = _factory.CreateClient();
        (await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task MutatingApiEndpoints_WithoutTokenOrRole_Return401Or403AndDenialsAreAudited()
    {
        var endpoints = MutatingApiEndpoints();
        Assert.True(endpoints.Count >= 10, $"only {endpoints.Count} mutating endpoints found");
        using var anonymous = _factory.CreateClient();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var user in new[] { "reviewer", "approver", "operator" })
        {
            clients[user] = await _factory.CreateClientForAsync(user);
        }

        var expectedDenials = 0;
        foreach (var (method, path, policies) in endpoints)
        {
            using var unauthenticated = await anonymous.SendAsync(Request(method, path));
            Assert.True(unauthenticated.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a token gave {unauthenticated.StatusCode}");

            foreach (var (user, client) in clients)
            {
                if (policies.All(policy => RolesOfPolicy[policy].Contains(user)))
                {
                    continue;
                }

                using var denied = await client.SendAsync(Request(method, path));
                Assert.True(denied.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as {user} gave {denied.StatusCode}");
                expectedDenials++;
            }
        }

        using var admin = await _factory.CreateClientForAsync("admin");
        var audited = await admin.GetFromJsonAsync<JsonElement>("/api/audit?action=authz.denied");
        Assert.Equal(expectedDenials, audited.GetArrayLength());
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private List<(string Method, string Path, string[] Policies)> MutatingApiEndpoints() =>
        [.. MappedRoutes.All(_factory.Services)
            .Where(route => route.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !route.Pattern.Contains("auth/token", StringComparison.Ordinal))
            .Where(route => route.Method is "POST" or "PUT" or "DELETE" or "PATCH")
            .Select(route => (
                route.Method,
                MappedRoutes.Concrete(route.Pattern, PathValues),
                route.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray()))];

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
}
