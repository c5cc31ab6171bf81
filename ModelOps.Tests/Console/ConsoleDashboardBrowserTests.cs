using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Console;

/// <summary>
/// The dashboard in real Chromium against the real app (real judge, Quartz every second): a latency
/// fault on the canary shows on the guardrail board as a failing guardrail and the rollout turns
/// rolledBack on the open page, pushed over the circuit, without a reload.
/// </summary>
public sealed class ConsoleDashboardBrowserTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private IPlaywright _playwright = null!; // Set in InitializeAsync.
    private IBrowser _browser = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        _factory.UseKestrel(0);
        _factory.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_LatencyFaultOnTheCanary_BoardShowsFailAndRolledBackWithoutReload()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1500 } });
        var baseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await page.GotoAsync($"{baseUrl}/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{baseUrl}/");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var panel = page.Locator("[data-testid=panel-ctr-ranker]");
        await Assertions.Expect(panel.Locator("[data-testid=champion]")).ToContainTextAsync("champion v2");
        // Survives only as long as the document: a reload would drop it.
        await page.EvaluateAsync("() => window.__dashboardMarker = 'same-document'");

        using var api = await _factory.CreateClientForAsync("operator");
        using var started = await api.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 20.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "latency_p95", threshold = 0.2, windowSeconds = 60, sustainSeconds = 3, severity = "hard" } },
        });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        await Assertions.Expect(panel.Locator("[data-testid=rollout-state]")).ToHaveTextAsync("progressing");
        await Assertions.Expect(panel.Locator("[data-testid=splits-ctr-ranker]")).ToContainTextAsync("v2 80 % · v3 20 %");
        using (var chaos = await api.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 3, addedLatencyMs = 40 }))
        {
            Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
        }

        await Assertions.Expect(page.Locator("[data-testid=banner-chaos]")).ToContainTextAsync("ctr-ranker v3: +40 ms latency");
        using var traffic = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var workers = DriveTraffic(traffic.Token);
        await Assertions.Expect(panel.Locator("[data-testid=guardrail-latency_p95]")).ToHaveAttributeAsync("data-status", "fail", new() { Timeout = 60_000 });
        await SaveScreenshotAsync(page, "dashboard-guardrail-fail");
        await Assertions.Expect(panel.Locator("[data-testid=rollout-state]")).ToHaveTextAsync("rolledBack", new() { Timeout = 60_000 });
        await Assertions.Expect(panel.Locator("[data-testid=splits-ctr-ranker]")).ToContainTextAsync("v2 100 %");
        await Assertions.Expect(panel.Locator("[data-testid=rollout-ended]")).ToContainTextAsync("automatic: latency_p95");
        await Assertions.Expect(panel.Locator("[data-testid=chart-latency] svg")).ToBeVisibleAsync();
        // The rolled-back rollout offers no rollback any more, and says why.
        Assert.Equal("The rollout is already rolled back; nothing changed.", await panel.Locator("[data-testid=action-rollback]").GetAttributeAsync("title"));
        Assert.Equal("same-document", await page.EvaluateAsync<string>("() => window.__dashboardMarker"));
        await SaveScreenshotAsync(page, "dashboard-rolled-back");

        await traffic.CancelAsync();
        await Task.WhenAll(workers);
    }

    [Fact]
    public async Task Dashboard_OperatorConfirmsRollbackInTheDialog_SwitchShowsAndAuditNamesTheOperator()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1300 } });
        var baseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        using var api = await _factory.CreateClientForAsync("operator");
        using var started = await api.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 10.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 10, severity = "hard" } },
        });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await page.GotoAsync($"{baseUrl}/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{baseUrl}/");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var panel = page.Locator("[data-testid=panel-ctr-ranker]");
        await Assertions.Expect(panel.Locator("[data-testid=rollout-state]")).ToHaveTextAsync("progressing");

        await panel.Locator("[data-testid=action-rollback]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=command-effects]")).ToContainTextAsync("Traffic now: v2 90 % · v3 10 %. After: v2 100 %");
        await Assertions.Expect(page.Locator("[data-testid=command-confirm]")).ToBeDisabledAsync();
        await page.FillAsync("textarea[data-testid=command-reason]", "rolled back from the dashboard");
        await SaveScreenshotAsync(page, "dashboard-rollback-dialog");
        await page.ClickAsync("[data-testid=command-confirm]");

        // The command ticks the shared feed before it returns, so the page shows the switch without waiting for an interval.
        await Assertions.Expect(panel.Locator("[data-testid=rollout-state]")).ToHaveTextAsync("rolledBack", new() { Timeout = 5_000 });
        await Assertions.Expect(panel.Locator("[data-testid=splits-ctr-ranker]")).ToContainTextAsync("v2 100 %");
        await Assertions.Expect(panel.Locator("[data-testid=action-outcome]")).ToContainTextAsync("Done. Rolled back");
        await SaveScreenshotAsync(page, "dashboard-rolled-back-by-operator");
        var rollout = await api.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal(("rolledBack", "manual"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("trigger").GetString()));
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/audit?action=rollout.rolledBack");
        var row = Assert.Single(audit.EnumerateArray());
        Assert.Equal("operator", row.GetProperty("actor").GetString());
    }

    private List<Task> DriveTraffic(CancellationToken stop)
    {
        var client = _factory.CreateClient();
        return [.. Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var features = InferenceAppFixture.Features(hour: i % 24, userId: $"u{worker}-{i}");
                using var response = await client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features }, CancellationToken.None);
                if (i % 10 == 0 && response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                    using var feedback = await client.PostAsJsonAsync("/inference/feedback", new { requestId = body.GetProperty("requestId").GetString(), outcome = 1 }, CancellationToken.None);
                }
            }
        }, CancellationToken.None))];
    }

    /// <summary>Every screenshot goes to the test output's screenshots folder (the run's artefacts).</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
