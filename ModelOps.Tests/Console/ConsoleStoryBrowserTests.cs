using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Console;

/// <summary>
/// The whole story in one run, only through the console in real Chromium against the real
/// app (the simulator's traffic, the real judge every second, Quartz): an operator starts a canary of
/// v3 from the wizard; a reviewer's spot check of its logged predictions raises a soft trigger that
/// an approver decides; the operator injects latency from the chaos panel and watches the dashboard
/// fail the guardrail and roll back on its own; the reviewer reads the incident, is offered nothing
/// that moves traffic or decides, and exports the audit. Every step leaves a screenshot.
/// (The soft trigger comes before the fault: a rolled-back v3 is frozen, and v1's signature
/// differs from v2's, so no second canary could follow the rollback.)
/// </summary>
public sealed partial class ConsoleStoryBrowserTests : IAsyncLifetime
{
    private const string Prefix = "story";
    private static readonly PageAssertionsToHaveURLOptions Slow = new() { Timeout = 60_000 };
    private ConsoleBrowser _console = null!; // Set in InitializeAsync.

    public async Task InitializeAsync() => _console = await ConsoleBrowser.StartAsync(new Dictionary<string, string?>
    {
        ["ModelOps:Gates:IntervalSeconds"] = "1",
        ["ModelOps:Simulator:Enabled"] = "true",
        ["ModelOps:Simulator:RequestsPerSecond"] = "40",
        ["ModelOps:Simulator:Seed"] = "13",
    });

    public async Task DisposeAsync() => await _console.DisposeAsync();

    [Fact]
    public async Task Story_CanarySpotCheckApprovalFaultRollbackAndReview_AllThroughTheConsole()
    {
        var operatorPage = await _console.LogInAsync("operator", "/rollouts/new?model=ctr-ranker&version=3", height: 1500);
        var rolloutId = await StartQuickCanaryAsync(operatorPage);

        // v3 was trained on corrupted night labels: a reviewer spots it in its logged predictions, an approver decides.
        var reviewerPage = await _console.LogInAsync("reviewer", "/flags");
        await SpotCheckAsync(reviewerPage, rolloutId);
        var approverPage = await _console.LogInAsync("approver", "/approvals");
        var card = approverPage.Locator("[data-testid^=approval-ap-]", new() { HasText = "flagged 1 logged prediction(s) of v3" });
        await Assertions.Expect(card).ToContainTextAsync(rolloutId);
        var decide = card.Locator("button[data-testid=decide-continue]");
        await ConsoleBrowser.TypeUntilEnabledAsync(approverPage, card.Locator("input"), "one user's odd scores; keep watching the KPI", decide);
        await ConsoleBrowser.SaveScreenshotAsync(approverPage, Prefix, "4-approval-pending");
        await decide.ClickAsync();
        await Assertions.Expect(approverPage.Locator("[data-testid=decided-approvals]")).ToContainTextAsync("continued");
        await Assertions.Expect(approverPage.Locator("[data-testid=decided-approvals]")).ToContainTextAsync("approver");
        await ConsoleBrowser.SaveScreenshotAsync(approverPage, Prefix, "5-approval-decided");

        await _console.GoToAsync(operatorPage, "/chaos");
        await Assertions.Expect(operatorPage.Locator("[data-testid=chaos-none]")).ToBeVisibleAsync();
        await operatorPage.FillAsync("input[data-testid=latency-ctr-ranker-v3]", "30");
        await operatorPage.PressAsync("input[data-testid=latency-ctr-ranker-v3]", "Tab");
        await operatorPage.ClickAsync("button[data-testid=inject-ctr-ranker-v3]");
        await Assertions.Expect(operatorPage.Locator("[data-testid=chaos-banner]")).ToContainTextAsync("ctr-ranker v3: +30 ms latency");
        await ConsoleBrowser.SaveScreenshotAsync(operatorPage, Prefix, "6-chaos-injected");

        await _console.GoToAsync(operatorPage, "/");
        var panel = operatorPage.Locator("[data-testid=panel-ctr-ranker]");
        await Assertions.Expect(panel.Locator("[data-testid=rollout-link]")).ToHaveTextAsync(rolloutId);
        await Assertions.Expect(panel.Locator("[data-testid=guardrail-latency_p95]")).ToHaveAttributeAsync("data-status", "fail", new() { Timeout = 120_000 });
        await ConsoleBrowser.SaveScreenshotAsync(operatorPage, Prefix, "7-dashboard-guardrail-fail", "MODELOPS_DASHBOARD_SCREENSHOT");
        await Assertions.Expect(panel.Locator("[data-testid=rollout-state]")).ToHaveTextAsync("rolledBack", new() { Timeout = 60_000 });
        await Assertions.Expect(panel.Locator("[data-testid=splits-ctr-ranker]")).ToContainTextAsync("v2 100 %");
        await Assertions.Expect(panel.Locator("[data-testid=rollout-ended]")).ToContainTextAsync("automatic: latency_p95");
        var incidentId = (await panel.Locator("[data-testid=rollout-incident]").InnerTextAsync()).Replace("incident ", string.Empty, StringComparison.Ordinal).Trim();
        Assert.Matches(IncidentId(), incidentId);
        await ConsoleBrowser.SaveScreenshotAsync(operatorPage, Prefix, "8-dashboard-rolled-back");

        // Traffic is restored: the operator ends the drill's fault.
        await _console.GoToAsync(operatorPage, "/chaos");
        await ConsoleBrowser.ClickUntilAsync(operatorPage.Locator("button[data-testid=clear-ctr-ranker-v3]"), operatorPage.Locator("[data-testid=chaos-none]"));

        await ReviewIncidentAndExportAuditAsync(reviewerPage, rolloutId, incidentId);
    }

    /// <summary>On the wizard (model and version preselected by the URL): the 50 → 100 % template, an owner, the preflight shown, then start.</summary>
    private static async Task<string> StartQuickCanaryAsync(IPage page)
    {
        await ConsoleBrowser.PickAsync(page, page.Locator("[data-testid=wizard-steps]"), "50 → 100 %");
        var checks = page.Locator("[data-testid=preflight-checks]");
        for (var attempt = 0; attempt < 5 && !await checks.IsVisibleAsync(); attempt++)
        {
            // An owner typed before the circuit connected is lost: the preflight then names the field, and typing again sticks.
            await page.FillAsync("input[data-testid=wizard-owner]", "ranking-team");
            await page.ClickAsync("button[data-testid=wizard-preflight]");
            await checks.Or(page.GetByText("Name the owner")).First.WaitForAsync();
        }

        await Assertions.Expect(page.Locator("[data-testid=check-candidate\\.warm]")).ToContainTextAsync("pass");
        await Assertions.Expect(page.Locator("button[data-testid=wizard-start]")).ToBeEnabledAsync();
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "1-wizard-preflight");
        await page.ClickAsync("button[data-testid=wizard-start]");
        await Assertions.Expect(page).ToHaveURLAsync(RolloutUrl(), Slow);
        await Assertions.Expect(page.Locator("[data-testid=rollout-state]")).ToHaveTextAsync("progressing");
        await Assertions.Expect(page.Locator("[data-testid=rollout-step]")).ToContainTextAsync("step 1 of 2: 50 % to v");
        return page.Url.Split('/')[^1];
    }

    /// <summary>The reviewer ticks a logged prediction of the candidate (the page lists the last minutes' ones; reloaded until the log has one) and flags it.</summary>
    private async Task SpotCheckAsync(IPage page, string rolloutId)
    {
        var prediction = page.Locator("[data-testid=spot-predictions] input[type=checkbox]").First;
        for (var attempt = 0; attempt < 20 && !await prediction.IsVisibleAsync(); attempt++)
        {
            await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.NetworkIdle });
            await prediction.Or(page.Locator("[data-testid=spot-ids]")).First.WaitForAsync();
        }

        await Assertions.Expect(page.Locator("[data-testid=spot-rollout]")).ToContainTextAsync(rolloutId);
        Assert.Equal(0, await page.Locator("button[data-testid=dataset-flag-button]:enabled").CountAsync()); // flagging a dataset is the Operator's
        var flag = page.Locator("button[data-testid=spot-flag]");
        await prediction.ClickAsync();
        await Assertions.Expect(flag).ToContainTextAsync("Flag 1 prediction");

        await page.FillAsync("input[data-testid=spot-note]", "scores near 0.5 for night-time users whatever they like");
        await page.PressAsync("input[data-testid=spot-note]", "Tab");
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "2-spot-check");
        await flag.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=flags-message]")).ToContainTextAsync($"rollout {rolloutId} now waits for an Approver");
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "3-spot-check-raised");
    }

    private async Task ReviewIncidentAndExportAuditAsync(IPage page, string rolloutId, string incidentId)
    {
        await _console.GoToAsync(page, "/incidents");
        await page.Locator("[data-testid=incident-link]", new() { HasText = incidentId }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{_console.BaseUrl}/incidents/{incidentId}");
        await Assertions.Expect(page.Locator("[data-testid=incident-trigger]")).ToContainTextAsync("latency_p95");
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "9-review-incident");

        // A reviewer is offered nothing that moves traffic or decides an approval.
        foreach (var text in new[] { "Roll back", "Rollback", "Pause", "Resume", "Promote", "Revert", "Continue", "Approve" })
        {
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = text }).CountAsync());
        }

        await _console.GoToAsync(page, "/audit");
        await Assertions.Expect(page.Locator("[data-testid=audit-table] tbody tr").First).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-csv]").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        await ConsoleBrowser.SaveScreenshotAsync(page, Prefix, "10-review-audit");
        Assert.Contains(csv, line => line.Contains("rollout.rolledBack", StringComparison.Ordinal) && line.Contains(rolloutId, StringComparison.Ordinal));
        Assert.Contains(csv, line => line.Contains("rollout.approvalContinued", StringComparison.Ordinal) && line.Contains("approver", StringComparison.Ordinal));
    }

    [GeneratedRegex("/rollouts/ro-[0-9a-f]+$")]
    private static partial Regex RolloutUrl();

    [GeneratedRegex("^inc-[0-9a-z-]+$")]
    private static partial Regex IncidentId();
}
