using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Onnx;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Chaos;

namespace ModelOps.Tests.Console;

/// <summary>The chaos panel over a really registered and routed version, the real <see cref="ChaosService"/> and board, and the real audit trail.</summary>
public sealed class ChaosPageTests
{
    private const string Model = "pricing";

    [Fact]
    public async Task Inject_AsOperator_BannerShowsTheFaultThenClearRemovesIt_BothAudited()
    {
        await using var console = await ServedAsync("operator", "Operator");
        var board = console.Context.Services.GetRequiredService<ChaosBoard>();
        var page = console.Context.Render<ChaosPage>();
        page.WaitForAssertion(() => page.Find("[data-testid=chaos-none]"));

        page.Find($"input[data-testid=latency-{Model}-v1]").Change("250");
        await page.Find($"button[data-testid=inject-{Model}-v1]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains($"{Model} v1: +250 ms latency", page.Find("[data-testid=chaos-banner]").TextContent, StringComparison.Ordinal));
        Assert.Equal(250, board.Find(Model, 1)?.AddedLatencyMs);

        await page.Find($"button[data-testid=clear-{Model}-v1]").ClickAsync(new());

        page.WaitForAssertion(() => page.Find("[data-testid=chaos-none]"));
        Assert.Null(board.Find(Model, 1));
        await console.WithScopeAsync(async sp =>
        {
            var audit = await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Actor: "operator", Action: "chaos."), CancellationToken.None);
            Assert.Equal(2, audit.Total);
        });
    }

    [Theory]
    [InlineData("Reviewer")]
    [InlineData("Approver")]
    public async Task Page_WithoutOperator_ShowsFaultsButOffersNoInjectOrClear(string role)
    {
        await using var console = await ServedAsync("someone", role);

        var page = console.Context.Render<ChaosPage>();

        page.WaitForAssertion(() => Assert.Contains("needs the Operator role", page.Find("[data-testid=chaos-readonly]").TextContent, StringComparison.Ordinal));
        Assert.Single(page.FindAll($"[data-testid=fault-{Model}-v1]"));
        Assert.Empty(page.FindAll($"[data-testid=inject-{Model}-v1]"));
        Assert.Empty(page.FindAll("[data-testid=chaos-clear-all]"));
    }

    /// <summary>A console whose registry has <see cref="Model"/> v1, routed fully to it.</summary>
    private static async Task<ConsoleServices> ServedAsync(string user, string role)
    {
        var console = await ConsoleServices.CreateAsync(user, role);
        await console.WithScopeAsync(async sp =>
        {
            var bytes = new LinearModelOnnxWriter().Serialize(new LinearModel([0.1f, 0.2f], 0.3f));
            await using var stream = new MemoryStream(bytes);
            Assert.True((await sp.GetRequiredService<ModelRegistry>().RegisterVersionAsync(Model, stream, new VersionRegistration(), "operator", CancellationToken.None)).IsSuccess);
        });
        Assert.True(console.Context.Services.GetRequiredService<RoutingTableHolder>().Publish(RoutingTable.Single(Model, 1, generation: 1).Value!).IsSuccess); // a valid single-version table
        return console;
    }
}
