using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Identity;

namespace ModelOps.Tests.Identity;

/// <summary>
/// Every mutating /api endpoint the app maps (found from its endpoint data source, so a new
/// endpoint is covered without editing this test): 401 without a token, 403 for each demo role
/// its policies do not admit, and every denial audited.
/// </summary>
public sealed partial class EndpointAuthorizationTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string[]> RolesOfPolicy = new()
    {
        [Policies.Admin] = ["admin"],
        [Policies.Operator] = ["operator", "admin"],
        [Policies.Approver] = ["approver", "admin"],
        [Policies.Reviewer] = ["reviewer", "operator", "approver", "admin"],
    };

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

    private List<(string Method, string Path, string[] Policies)> MutatingApiEndpoints()
    {
        var source = _factory.Services.GetRequiredService<EndpointDataSource>();
        var found = new List<(string, string, string[])>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (!pattern.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) || pattern.Contains("auth/token", StringComparison.Ordinal))
            {
                continue;
            }

            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
            foreach (var method in methods.Where(m => m is "POST" or "PUT" or "DELETE" or "PATCH"))
            {
                found.Add((method, Concrete(pattern), policies));
            }
        }

        return found;
    }

    private static string Concrete(string pattern) =>
        "/" + Parameter().Replace(pattern.TrimStart('/'), match => match.Groups[1].Value switch
        {
            "version" => "1",
            "name" => "some-model",
            _ => "x",
        });

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

    [GeneratedRegex(@"\{([A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();
}
