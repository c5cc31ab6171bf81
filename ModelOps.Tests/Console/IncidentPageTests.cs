using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Incidents;
using ModelOps.Web.Incidents;

namespace ModelOps.Tests.Console;

/// <summary>The incident pages over a real incident in a real store, read through the API's IncidentViews.</summary>
public sealed class IncidentPageTests
{
    [Fact]
    public async Task Detail_RecoveredIncident_ShowsTimelineTriggerVerdictsChartsAndVerification()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var id = await IncidentSeed.AddAsync(console, IncidentStates.Recovered);

        var page = console.Context.Render<IncidentPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Contains("rollout.rolledBack", page.Find("[data-testid=incident-timeline]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Operator operator rolled back by hand: p95 latency doubled after the 25 % step", page.Find("[data-testid=incident-trigger]").TextContent, StringComparison.Ordinal);
        Assert.Contains("limit 100", page.Markup, StringComparison.Ordinal); // The verdict at the decision.
        Assert.Contains("sha256:cand1234", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Recovered", page.Find("[data-testid=verification-status]").TextContent.Trim());
        Assert.Contains("Every guardrail holds on the rollback target.", page.Markup, StringComparison.Ordinal);
        Assert.Equal(3, page.FindAll("[data-testid=incident-chart] svg").Count);
        Assert.Contains("candidate v3", page.Find("[data-testid=incident-chart]").InnerHtml, StringComparison.Ordinal);
        Assert.Equal($"/console/incidents/{id}/report?format=html", page.Find("[data-testid=report-html]").GetAttribute("href"));
        Assert.Equal($"/console/rollouts/ro-{id}/runbook", page.Find("[data-testid=runbook]").GetAttribute("href"));
    }

    [Fact]
    public async Task Close_VerificationPending_ButtonDisabledWithTheReason()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var id = await IncidentSeed.AddAsync(console, IncidentStates.VerificationPending);

        var page = console.Context.Render<IncidentPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid=close-incident]").HasAttribute("disabled")));
        Assert.Contains("waits for the post-rollback verification", page.Find("[data-testid=close-reason]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_RecoveredAsReviewer_ClosesThroughTheServiceWithOneAuditRow()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var id = await IncidentSeed.AddAsync(console, IncidentStates.Recovered);
        var page = console.Context.Render<IncidentPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid=close-incident]").HasAttribute("disabled"))); // No root cause yet.

        AuditTableTests.Field(page, "root-cause").Input("a slow feature join in v3");
        page.Find("[data-testid=close-incident]").Click();

        page.WaitForAssertion(() => Assert.Contains("Root cause: a slow feature join in v3", page.Find("[data-testid=incident-closed]").TextContent, StringComparison.Ordinal));
        await console.WithScopeAsync(async sp =>
        {
            var incident = await sp.GetRequiredService<ModelOpsDbContext>().Set<Incident>().SingleAsync(i => i.Id == id);
            Assert.Equal((IncidentStates.Closed, "reviewer"), (incident.Status, incident.ClosedBy));
            Assert.Equal(1, await sp.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>().CountAsync(e => e.Action == "incident.closed" && e.Target == Incident.AuditTarget(id)));
        });
    }

    [Fact]
    public async Task Close_AsApprover_NoCloseButtonButTheRoleItNeeds()
    {
        await using var console = await CreateAsync("approver", "Approver");
        var id = await IncidentSeed.AddAsync(console, IncidentStates.Recovered);

        var page = console.Context.Render<IncidentPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Contains("needs the Reviewer or Operator role", page.Find("[data-testid=close-reason]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=close-incident]"));
        Assert.True(page.Find("[data-testid=replay-run]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Replay_ReviewerRunsThenCancels_QueuedAndCancelledThroughTheServiceAndAudited()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var id = await IncidentSeed.AddAsync(console, IncidentStates.Recovered);
        var page = console.Context.Render<IncidentPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal("No replay yet.", page.Find("[data-testid=replay-status]").TextContent.Trim()));

        page.Find("[data-testid=replay-run]").Click();

        page.WaitForAssertion(() => Assert.Equal("Replay queued", page.Find("[data-testid=replay-status]").TextContent.Trim()));
        page.Find("[data-testid=replay-cancel]").Click();
        page.WaitForAssertion(() => Assert.Equal("Replay cancelled", page.Find("[data-testid=replay-status]").TextContent.Trim()));
        await console.WithScopeAsync(async sp =>
        {
            var actions = await sp.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>().Where(e => e.Target == Incident.AuditTarget(id)).Select(e => new { e.Actor, e.Action }).ToListAsync();
            Assert.Contains(new { Actor = "reviewer", Action = "incident.replayQueued" }, actions);
            Assert.Contains(new { Actor = "reviewer", Action = "incident.replayCancelled" }, actions);
        });
    }

    [Fact]
    public async Task Detail_NotRecovered_AlertInTextIconAndColour()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var id = await IncidentSeed.AddAsync(console, IncidentStates.NotRecovered);

        var page = console.Context.Render<IncidentPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Contains("NOT RECOVERED", page.Find("[data-testid=not-recovered-alert]").TextContent, StringComparison.Ordinal));
        var badge = page.Find("[data-testid=verification-status]");
        Assert.Equal("NOT RECOVERED", badge.TextContent.Trim());
        Assert.Contains("mud-chip-color-error", badge.ClassName, StringComparison.Ordinal);
        Assert.NotNull(badge.QuerySelector("svg")); // The icon.
    }

    [Fact]
    public async Task List_TwoModels_FiltersByModelAndState()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");
        var open = await IncidentSeed.AddAsync(console, IncidentStates.NotRecovered);
        var closed = await IncidentSeed.AddAsync(console, IncidentStates.Recovered, "pricing", "hard", IncidentStates.Closed);

        var page = console.Context.Render<IncidentsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=incident-link]").Count));
        Assert.Contains("1 open incident NOT RECOVERED", page.Find("[data-testid=not-recovered-alert]").TextContent, StringComparison.Ordinal);
        var rows = page.FindAll("[data-testid=incidents-table] tbody tr");
        Assert.Contains(rows, r => r.TextContent.Contains(open, StringComparison.Ordinal) && r.TextContent.Contains("NOT RECOVERED", StringComparison.Ordinal) && r.TextContent.Contains("real", StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindComponents<MudBlazor.MudSelect<string>>()[1].Instance.ValueChanged.InvokeAsync(IncidentStates.Closed));

        page.WaitForAssertion(() => Assert.Equal([closed], page.FindAll("[data-testid=incident-link]").Select(a => a.TextContent)));
        await page.InvokeAsync(() => page.FindComponents<MudBlazor.MudSelect<string>>()[0].Instance.ValueChanged.InvokeAsync("ctr-ranker"));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=incident-link]")));
    }

    [Fact]
    public async Task List_IncidentOpenedWhileOpen_AppearsOnTheNextRefreshWithoutReload()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var console = await ConsoleServices.CreateAsync("reviewer", ["Reviewer"], services =>
        {
            services.AddScoped<IncidentViews>();
            services.AddSingleton<TimeProvider>(time);
        });
        var first = await IncidentSeed.AddAsync(console, IncidentStates.Recovered);
        var page = console.Context.Render<IncidentsPage>();
        page.WaitForAssertion(() => Assert.Equal([first], page.FindAll("[data-testid=incident-link]").Select(a => a.TextContent)));

        var second = await IncidentSeed.AddAsync(console, IncidentStates.NotRecovered, "pricing", "hard", IncidentStates.Open);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(page.FindAll("[data-testid=incident-link]")); // Not before the refresh is due.
        time.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=incident-link]").Count));
        Assert.Contains(second, page.Markup, StringComparison.Ordinal);
        Assert.Contains("1 open incident NOT RECOVERED", page.Find("[data-testid=not-recovered-alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains("09:00:05", page.Find("[data-testid=incidents-refreshed]").TextContent, StringComparison.Ordinal);
    }

    private static Task<ConsoleServices> CreateAsync(string user, string role) =>
        ConsoleServices.CreateAsync(user, [role], services => services.AddScoped<IncidentViews>());
}
