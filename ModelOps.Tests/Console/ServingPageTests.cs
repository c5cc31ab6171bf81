using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Onnx;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Serving;
using ModelOps.Web.Hosting;
using ModelOps.Web.Simulator;

namespace ModelOps.Tests.Console;

public sealed class ServingPageTests
{
    private const string Model = "pricing";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Page_WarmVersionRoutedFully_ListsItsWeightAndHealthyChip()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        await RegisterAsync(console);
        var pool = console.Context.Services.GetRequiredService<SessionPool>();
        Assert.True((await pool.EnsureWarmAsync(Model, 1, CancellationToken.None)).IsSuccess);
        pool.Want(Model, new HashSet<int> { 1 });
        Publish(console, RoutingTable.Single(Model, 1, generation: 1).Value!); // a valid single-version table

        var page = console.Context.Render<ServingPage>();

        Assert.Contains("v1 → 100 %", page.Find($"[data-testid=weights-{Model}]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Healthy", page.Find($"[data-testid=health-{Model}-v1]").TextContent.Trim());
    }

    [Fact]
    public async Task Page_TableAppearsAfterRender_ShowsItOnTheNextTimerTick()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var page = console.Context.Render<ServingPage>();
        Publish(console, RoutingTable.Canary(Model, 1, 2, 25, generation: 3).Value!); // a valid canary split

        Assert.Empty(page.FindAll($"[data-testid=weights-{Model}]"));
        _time.Advance(ServingPage.RefreshInterval);

        page.WaitForAssertion(() => Assert.Contains("v2 → 25 %", page.Find($"[data-testid=weights-{Model}]").TextContent, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Reviewer", false)]
    [InlineData("Approver", false)]
    [InlineData("Operator", true)]
    public async Task SimulatorButtons_ByRole_ShownOnlyToOperators(string role, bool shown)
    {
        await using var console = await CreateAsync("someone", role);

        var page = console.Context.Render<ServingPage>();

        Assert.Equal(shown, page.FindAll("[data-testid=simulator-start]").Count == 1);
        Assert.Equal(shown, page.FindAll("[data-testid=simulator-stop]").Count == 1);
    }

    [Fact]
    public async Task Stop_AsOperator_StopsTheSimulatorAndWritesAnAuditRow()
    {
        await using var console = await CreateAsync("operator", "Operator");
        var simulator = console.Context.Services.GetRequiredService<TrafficSimulator>();
        simulator.Start();
        var page = console.Context.Render<ServingPage>();

        await page.Find("button[data-testid=simulator-stop]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Stopped", page.Find("[data-testid=simulator-state]").TextContent.Trim()));
        Assert.False(simulator.Status.Running);
        await console.WithScopeAsync(async sp =>
        {
            var audit = await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: "simulator."), CancellationToken.None);
            var row = Assert.Single(audit.Rows);
            Assert.Equal(("operator", "simulator.stopped", "simulator"), (row.Actor, row.Action, row.Target));
        });
    }

    [Fact]
    public async Task Start_AsOperatorWithRate_StartsAtThatRateAndWritesAnAuditRow()
    {
        await using var console = await CreateAsync("operator", "Operator");
        var simulator = console.Context.Services.GetRequiredService<TrafficSimulator>();
        var page = console.Context.Render<ServingPage>();

        page.Find("[data-testid=simulator] input").Change("7");
        await page.Find("button[data-testid=simulator-start]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Running", page.Find("[data-testid=simulator-state]").TextContent.Trim()));
        Assert.Equal(7, simulator.Status.RequestsPerSecond);
        await console.WithScopeAsync(async sp =>
        {
            var audit = await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: "simulator."), CancellationToken.None);
            var row = Assert.Single(audit.Rows);
            Assert.Equal("simulator.started", row.Action);
            Assert.Contains("\"requestsPerSecond\":7", row.Details, StringComparison.Ordinal);
        });
    }

    private Task<ConsoleServices> CreateAsync(string user, string role) => ConsoleServices.CreateAsync(user, [role], services =>
    {
        // The serving path comes with AddModelOpsInference(); hosted services never start under bUnit.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ModelOps:Simulator:Enabled"] = "false" })
            .Build());
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<StartupState>();
        services.AddTrafficSimulator();
    });

    private static void Publish(ConsoleServices console, RoutingTable table) =>
        Assert.True(console.Context.Services.GetRequiredService<RoutingTableHolder>().Publish(table).IsSuccess);

    private static Task RegisterAsync(ConsoleServices console) => console.WithScopeAsync(async sp =>
    {
        var bytes = new LinearModelOnnxWriter().Serialize(new LinearModel([0.1f, 0.2f], 0.3f));
        await using var stream = new MemoryStream(bytes);
        var result = await sp.GetRequiredService<ModelRegistry>().RegisterVersionAsync(Model, stream, new VersionRegistration(), "operator", CancellationToken.None);
        Assert.True(result.IsSuccess);
    });
}
