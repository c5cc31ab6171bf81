using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Web.Audit;

namespace ModelOps.Tests.Console;

/// <summary>
/// The reviewing side of the console in real Chromium against the real app on Kestrel: the role
/// page and the not-found page instead of raw errors, a reviewer reading an incident an operator's
/// rollback opened, and the audit export. Every test saves its screenshots as artefacts.
/// </summary>
public sealed class ConsoleReviewBrowserTests : IAsyncLifetime
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
    public async Task Reviewer_OpensAdminUsers_GetsTheConsolesRolePageNamingAdmin()
    {
        var page = await LogInAsync("reviewer", "/admin/users");

        var response = await page.GotoAsync($"{BaseUrl}/admin/users", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Equal(403, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=role-required-message]"))
            .ToHaveTextAsync("This page needs the Admin role. You are signed in as reviewer (Reviewer).");
        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync("reviewer"); // Inside the console's layout.
        await SaveScreenshotAsync(page, "review-role-required");
    }

    [Fact]
    public async Task UnknownPath_ConsoleNotFoundPageWithALinkHome_ApiKeepsProblemJson()
    {
        var page = await LogInAsync("reviewer", "/");

        var response = await page.GotoAsync($"{BaseUrl}/no-such-page", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=not-found]")).ToContainTextAsync("/no-such-page");
        Assert.Equal("/", await page.Locator("[data-testid=not-found-home]").GetAttributeAsync("href"));
        await SaveScreenshotAsync(page, "review-not-found");
        using var client = await _factory.CreateClientForAsync("reviewer");
        using var api = await client.GetAsync(new Uri("/api/no-such-route", UriKind.Relative));
        await ProblemAssert.IsProblemAsync(api, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reviewer_OpensTheIncidentOfAManualRollback_NoRollbackOrApprovalButtons_ExportsTheAudit()
    {
        var (rolloutId, incidentId) = await RollBackACanaryAsync();
        var page = await LogInAsync("reviewer", "/incidents");

        await page.Locator($"[data-testid=incident-link]:has-text('{incidentId}')").ClickAsync();
        await page.WaitForURLAsync($"{BaseUrl}/incidents/{incidentId}");
        await Assertions.Expect(page.Locator("[data-testid=incident-timeline]")).ToContainTextAsync("operator");
        await Assertions.Expect(page.Locator("[data-testid=incident-trigger]")).ToContainTextAsync("Operator operator rolled back by hand: review browser test");
        await SaveScreenshotAsync(page, "review-incident");

        // A reviewer is offered nothing that moves traffic or decides an approval.
        foreach (var text in new[] { "Roll back", "Rollback", "Approve", "Revert", "Continue", "Promote", "Pause" })
        {
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = text }).CountAsync());
        }

        await page.GotoAsync($"{BaseUrl}/audit", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("[data-testid=audit-table] tbody tr").First).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-csv]").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        await SaveScreenshotAsync(page, "review-audit");

        Assert.Equal(AuditCsv.Header, csv[0]);
        Assert.Contains(csv, line => line.Contains("operator", StringComparison.Ordinal) && line.Contains(rolloutId, StringComparison.Ordinal));
    }

    /// <summary>Starts a canary of v3 through the API as the operator and rolls it back by hand: one incident.</summary>
    private async Task<(string RolloutId, string IncidentId)> RollBackACanaryAsync()
    {
        using var client = await _factory.CreateClientForAsync("operator");
        var id = await RolloutDriver.StartAsync(client, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 10.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        });
        using var rolledBack = await client.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "review browser test" });
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var rollout = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        return (id, rollout.GetProperty("incidentId").GetString()!);
    }

    private async Task<IPage> LogInAsync(string user, string path)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        await page.GotoAsync($"{BaseUrl}{path}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", ModelOpsAppFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{BaseUrl}{path}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    /// <summary>Into MODELOPS_ARTIFACTS (or the test output's artifacts/screenshots), one PNG per step.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("MODELOPS_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
    }
}
