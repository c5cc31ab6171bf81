using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelOps.Tests.Console;

/// <summary>
/// The game-day and flags pages in real Chromium against the real app (the simulator's traffic,
/// the real judge every second, Quartz): an operator runs a drill from /gamedays and follows it to
/// its end, and flags a training dataset from /flags, which preflight then refuses; each time the
/// API and the audit log agree with what the page showed. Screenshots are the run's artefacts.
/// </summary>
public sealed class ConsoleGameDayBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Prefix = "gameday";
    private ConsoleBrowser? _console; // Started by each test, with or without traffic.

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_console is not null)
        {
            await _console.DisposeAsync();
        }
    }

    [Fact]
    public async Task Operator_RunsDrillFromGameDaysPage_RowRunsToRolledBackAndApiAndAuditAgree()
    {
        // A short drill: the judge every second, enough candidate traffic at the drill's 20 % for an
        // 18 s error-rate window to fail within seconds, and a drill that gives up after 60 s.
        _console = await ConsoleBrowser.StartAsync(new Dictionary<string, string?>
        {
            ["ModelOps:Gates:IntervalSeconds"] = "1",
            ["ModelOps:GameDays:TimeoutSeconds"] = "60",
            ["ModelOps:Simulator:Enabled"] = "true",
            ["ModelOps:Simulator:RequestsPerSecond"] = "50",
            ["ModelOps:Simulator:Seed"] = "13",
        });
        var page = await _console.LogInAsync("operator", "/gamedays");
        await ConsoleBrowser.PickAsync(page, page.Locator("[data-testid=gameday-version]"), "v3"); // the menu opening shows the circuit is live
        await FillNumberAsync(page, "Added latency (ms)", "0");
        await FillNumberAsync(page, "Error rate (0–1)", "0.5");
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "1-run-form");

        var state = page.Locator("[data-testid^=gameday-state-]");
        await page.Locator("button[data-testid=gameday-run]").ClickAsync(); // once: the circuit is live, and a second drill would be refused
        await Assertions.Expect(state).ToBeVisibleAsync();
        var id = (await state.GetAttributeAsync("data-testid"))!["gameday-state-".Length..]; // visible, so it has its test id
        var row = page.Locator("[data-testid=gameday-table] tbody tr", new() { Has = state });
        await Assertions.Expect(row).ToContainTextAsync("ctr-ranker v3 vs v2 · by operator");
        await Assertions.Expect(row).ToContainTextAsync("50 % errors");
        await Assertions.Expect(state).ToContainTextAsync("running");
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "2-drill-running");

        // The page re-reads every 2 s: the drill ends rolled back by the engine, well within its 60 s time-out.
        await Assertions.Expect(state).ToHaveTextAsync("finished · rolledBack", new() { Timeout = 75_000 });
        await Assertions.Expect(page.Locator("[data-testid=gameday-error]")).ToHaveCountAsync(0);
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "3-drill-finished");

        using var client = await _console.Factory.CreateClientForAsync("operator");
        var drills = (await client.GetFromJsonAsync<List<JsonElement>>("/api/gamedays"))!;
        var drill = Assert.Single(drills);
        Assert.Equal((id, "ctr-ranker", 3, "operator"), (drill.GetProperty("id").GetString(), drill.GetProperty("model").GetString(),
            drill.GetProperty("version").GetInt32(), drill.GetProperty("startedBy").GetString()));
        Assert.Equal(("finished", "rolledBack"), (drill.GetProperty("state").GetString(), drill.GetProperty("outcome").GetString()));
        Assert.Equal(0.5, drill.GetProperty("fault").GetProperty("errorRate").GetDouble());
        var rollout = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{drill.GetProperty("rolloutId").GetString()}");
        Assert.Equal(("rolledBack", "hard"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("trigger").GetString()));

        // The page shows the times the API has; they no longer change once the drill has ended.
        foreach (var name in new[] { "detectionSeconds", "decisionSeconds", "restoreSeconds" })
        {
            var seconds = drill.GetProperty(name).GetDouble();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {seconds:0.0}"));
            await Assertions.Expect(row).ToContainTextAsync(string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s (target"));
        }

        await Assertions.Expect(page.Locator($"[data-testid=gameday-score-{id}]")).ToHaveTextAsync(new Regex(@"^[0-4]/4$"));

        var started = (await client.GetFromJsonAsync<List<JsonElement>>("/api/audit?action=gameday.started"))!;
        var audit = Assert.Single(started);
        Assert.Equal(("operator", $"gameday:{id}"), (audit.GetProperty("actor").GetString(), audit.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task Operator_FlagsDatasetFromFlagsPage_ListedAuditedAndPreflightRefusesV3()
    {
        _console = await ConsoleBrowser.StartAsync(); // no traffic: nothing here needs it
        using var client = await _console.Factory.CreateClientForAsync("operator");
        var hash = (await client.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/versions/3")).GetProperty("datasetHash").GetString()!;
        const string Reason = "night labels corrupted by a logging bug";

        var page = await _console.LogInAsync("operator", "/flags");
        await Assertions.Expect(page.Locator("[data-testid=dataset-readonly]")).ToHaveCountAsync(0);
        var listed = page.Locator("[data-testid=dataset-flag] tbody tr", new() { HasText = hash });
        await Assertions.Expect(listed).ToContainTextAsync("ctr-ranker v3");
        await Assertions.Expect(listed).ToContainTextAsync("—");
        await ConsoleBrowser.PickAsync(page, page.Locator("[data-testid=dataset-hash]"), hash);
        var reason = page.Locator("input[data-testid=dataset-reason]");
        await reason.FillAsync(Reason);
        await reason.PressAsync("Tab");
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "4-flag-form");
        await page.Locator("button[data-testid=dataset-flag-button]").ClickAsync(); // once: the circuit is live (the menu opened)

        await Assertions.Expect(page.Locator("[data-testid=flags-message]")).ToContainTextAsync($"Flagged {hash}");
        await Assertions.Expect(listed).ToContainTextAsync($"flagged by operator: {Reason}");
        await AssertInsideTableAsync(page, listed.Locator("td").Nth(2)); // the flag column, not scrolled out of sight by the hash
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "5-flag-listed");

        var flag = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{Uri.EscapeDataString(hash)}");
        Assert.Equal((hash, Reason, "operator"), (flag.GetProperty("hash").GetString(), flag.GetProperty("reason").GetString(), flag.GetProperty("flaggedBy").GetString()));
        var flagged = (await client.GetFromJsonAsync<List<JsonElement>>("/api/audit?action=dataset.flagged"))!;
        var audit = Assert.Single(flagged);
        Assert.Equal(("operator", $"dataset:{hash}"), (audit.GetProperty("actor").GetString(), audit.GetProperty("target").GetString()));

        using var preflight = await client.PostAsJsonAsync("/api/rollouts/preflight", new RolloutRequest(
            "ctr-ranker", 3, "canary", [new StepRequest(20, 600, null)], GuardrailTemplates.Default, null, null, "ranking-team", null, null, null, null));
        Assert.Equal(HttpStatusCode.Conflict, preflight.StatusCode);
        var checks = (await preflight.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray().ToList();
        var dataset = Assert.Single(checks, c => c.GetProperty("name").GetString() == "dataset");
        Assert.False(dataset.GetProperty("ok").GetBoolean());
        var detail = dataset.GetProperty("detail").GetString();
        Assert.Contains(hash, detail, StringComparison.Ordinal);
        Assert.Contains($"flagged as corrupted by operator", detail, StringComparison.Ordinal);
        Assert.Contains(Reason, detail, StringComparison.Ordinal);

        // A reviewer sees the flag but is offered no way to flag a dataset.
        var reviewer = await _console.LogInAsync("reviewer", "/flags");
        await Assertions.Expect(reviewer.Locator("[data-testid=dataset-readonly]")).ToContainTextAsync("needs the Operator role");
        await Assertions.Expect(reviewer.Locator("button[data-testid=dataset-flag-button]")).ToBeDisabledAsync();
        await Assertions.Expect(reviewer.Locator("input[data-testid=dataset-reason]")).ToBeDisabledAsync();
        await Assertions.Expect(reviewer.Locator("[data-testid=dataset-flag] tbody tr", new() { HasText = hash })).ToContainTextAsync($"flagged by operator: {Reason}");
        await ConsoleBrowser.SaveScreenshotAsync(reviewer, Prefix, "6-flags-reviewer");
    }

    /// <summary>The cell lies within the visible width of its table's scroll container: an operator sees it without scrolling sideways.</summary>
    private static async Task AssertInsideTableAsync(IPage page, ILocator cell)
    {
        var container = page.Locator("[data-testid=dataset-flag] .mud-table-container");
        var (outer, inner) = ((await container.BoundingBoxAsync())!, (await cell.BoundingBoxAsync())!); // both rendered: the row was just asserted
        Assert.True(inner.X >= outer.X && inner.X + inner.Width <= outer.X + outer.Width + 1,
            $"The cell spans x {inner.X:0}..{inner.X + inner.Width:0}, outside the table's visible {outer.X:0}..{outer.X + outer.Width:0}.");
    }

    /// <summary>A MudNumericField by its label; the value binds when the field loses focus (the circuit is live: a select has opened).</summary>
    private static async Task FillNumberAsync(IPage page, string label, string value)
    {
        var input = page.GetByLabel(label, new() { Exact = true });
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }
}
