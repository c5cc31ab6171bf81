using System.Net;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task LiveAndReady_AfterStartup_Return200()
    {
        await using var factory = new ModelOpsAppFactory();
        using var client = factory.CreateClient();

        var live = await client.GetAsync(new Uri("/v2/health/live", UriKind.Relative));
        var ready = await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
