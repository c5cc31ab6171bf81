using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Console;

/// <summary>
/// The acting pages in real Chromium against the real app on Kestrel: an operator starts a canary
/// from the wizard and injects a fault from the chaos panel; an approver decides a soft trigger.
/// Screenshots land in <c>screenshots/</c> beside the test assembly (CI keeps them as artefacts).
/// </summary>
public sealed partial class ConsoleActingBrowserTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private IPlaywright _playwright = null!; // Set in InitializeAsync.
    private IBrowser _browser = null!; // Set in InitializeAsync.

    private string BaseUrl => _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
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
    public async Task Operator_StartsCanaryFromWizardThenInjectsLatency_BannerShowsFault()
    {
        var page = await LogInAsync("operator", "/rollouts/new?model=ctr-ranker&version=3");
        var checks = page.Locator("[data-testid=preflight-checks]");
        for (var attempt = 0; attempt < 5 && !await checks.IsVisibleAsync(); attempt++)
        {
            // An owner typed before the circuit connected is lost: the preflight then names the field, and typing again sticks.
            await page.FillAsync("input[data-testid=wizard-owner]", "ranking-team");
            await page.ClickAsync("button[data-testid=wizard-preflight]");
            await checks.Or(page.GetByText("Name the owner")).First.WaitForAsync(new() { Timeout = 30_000 });
        }

        await Assertions.Expect(page.Locator("[data-testid=check-candidate\\.warm]")).ToContainTextAsync("pass", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("button[data-testid=wizard-start]")).ToBeEnabledAsync();
        await SaveScreenshotAsync(page, "wizard-preflight");
        await page.ClickAsync("button[data-testid=wizard-start]");
        await page.WaitForURLAsync(RolloutUrl());

        var client = await _factory.CreateClientForAsync("operator");
        var rollout = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{page.Url.Split('/')[^1]}");
        Assert.Equal(("ctr-ranker", 3, "canary", "operator"), (rollout.GetProperty("model").GetString(), rollout.GetProperty("candidateVersion").GetInt32(),
            rollout.GetProperty("strategy").GetString(), rollout.GetProperty("startedBy").GetString()));

        await page.GotoAsync($"{BaseUrl}/chaos", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("[data-testid=chaos-none]")).ToBeVisibleAsync();
        await page.FillAsync("input[data-testid=latency-ctr-ranker-v3]", "400");
        await page.PressAsync("input[data-testid=latency-ctr-ranker-v3]", "Tab");
        await page.ClickAsync("button[data-testid=inject-ctr-ranker-v3]");

        await Assertions.Expect(page.Locator("[data-testid=chaos-banner]")).ToContainTextAsync("ctr-ranker v3: +400 ms latency");
        await SaveScreenshotAsync(page, "chaos-banner");
        var faults = await client.GetFromJsonAsync<JsonElement>("/api/chaos");
        Assert.Equal(400, faults.EnumerateArray().Single().GetProperty("addedLatencyMs").GetDouble());
    }

    [Fact]
    public async Task Approver_DecidesDatasetFlagTrigger_RowMovesToDecidedAndRolloutContinues()
    {
        var operatorClient = await _factory.CreateClientForAsync("operator");
        var started = await operatorClient.PostAsJsonAsync("/api/rollouts", new RolloutRequest("ctr-ranker", 3, "canary",
            [new StepRequest(5, 600, null), new StepRequest(100, 600, null)], GuardrailTemplates.Default, null, null, "ranking-team", null, null, null, null));
        Assert.Equal(System.Net.HttpStatusCode.Created, started.StatusCode);
        var rolloutId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var version = await operatorClient.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/versions/3");
        var hash = version.GetProperty("datasetHash").GetString()!; // The demo family registers every version with its dataset hash.
        var flagged = await operatorClient.PostAsJsonAsync($"/api/datasets/{Uri.EscapeDataString(hash)}/flag", new { reason = "labels shifted by a join bug" });
        flagged.EnsureSuccessStatusCode();

        var page = await LogInAsync("approver", "/approvals");
        var card = page.Locator("[data-testid^=approval-]").First;
        await Assertions.Expect(card).ToContainTextAsync("training dataset flagged");
        var decide = card.Locator("button[data-testid=decide-continue]");
        await TypeUntilEnabledAsync(page, card.Locator("input"), "checked the join: only 0.1 % of rows affected", decide);
        await SaveScreenshotAsync(page, "approval-pending");
        await decide.ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=decided-approvals]")).ToContainTextAsync("continued");
        await Assertions.Expect(page.Locator("[data-testid=decided-approvals]")).ToContainTextAsync("approver");
        await SaveScreenshotAsync(page, "approval-decided");
        var rollout = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/rollouts/{rolloutId}");
        Assert.Equal("progressing", rollout.GetProperty("state").GetString());
    }

    private async Task<IPage> LogInAsync(string user, string path)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await page.GotoAsync($"{BaseUrl}{path}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{BaseUrl}{path}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    /// <summary>
    /// Text typed into the prerendered page before the circuit takes over is dropped when the
    /// interactive render replaces it; typing again once connected sticks, which the enabled button shows.
    /// </summary>
    private static async Task TypeUntilEnabledAsync(IPage page, ILocator input, string text, ILocator button)
    {
        for (var attempt = 0; attempt < 10 && !await button.IsEnabledAsync(); attempt++)
        {
            await input.FillAsync(text);
            await page.WaitForTimeoutAsync(500);
        }

        await Assertions.Expect(button).ToBeEnabledAsync();
    }

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{nameof(ConsoleActingBrowserTests)}-{name}.png"), FullPage = true });
    }

    [GeneratedRegex("/rollouts/ro-[0-9a-f]+$")]
    private static partial Regex RolloutUrl();
}
