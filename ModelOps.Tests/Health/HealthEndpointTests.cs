using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ModelOps.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Live_WhenHostRuns_Returns200()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
