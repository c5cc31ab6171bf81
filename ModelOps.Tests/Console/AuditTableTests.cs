using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components;
using ModelOps.Web.Components.Pages.Admin;
using ModelOps.Web.Components.Pages.Audit;
using MudBlazor;

namespace ModelOps.Tests.Console;

/// <summary>The audit table over real rows in a real store: server paging, filters, export links; and the console's role page.</summary>
public sealed class AuditTableTests
{
    [Fact]
    public async Task Paging_SecondPage_ReadsTheOlderRowsFromTheServer()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await AppendAsync(console, 30, "operator");
        var page = console.Context.Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=audit-table] tbody tr").Count));

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(["5", "4", "3", "2", "1"], page.FindAll("[data-testid=audit-table] tbody tr").Select(r => r.Children[0].TextContent.Trim())));
        Assert.Contains("30 rows match", page.Find("[data-testid=audit-total]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActorFilter_OnlyThatActorsRowsAndTheExportLinksCarryIt()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await AppendAsync(console, 3, "operator");
        await AppendAsync(console, 2, "approver");
        var page = console.Context.Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=audit-table] tbody tr").Count));

        var actor = Field(page, "actor-filter");
        actor.Change("approver");
        actor.Blur();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=audit-table] tbody tr").Count));
        Assert.All(page.FindAll("[data-testid=audit-table] tbody tr"), r => Assert.Equal("approver", r.Children[2].TextContent.Trim()));
        Assert.Equal("/console/audit/export?format=csv&actor=approver", page.Find("[data-testid=export-csv]").GetAttribute("href"));
        Assert.Equal("/console/audit/export?format=json&actor=approver", page.Find("[data-testid=export-json]").GetAttribute("href"));
    }

    [Fact]
    public async Task TimeFilter_FromAndToWithTimesOfDay_KeepsOnlyRowsInsideAndTheExportCarriesThem()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T09:00:00Z", CultureInfo.InvariantCulture));
        await using var console = await ConsoleServices.CreateAsync("reviewer", ["Reviewer"], services => services.AddSingleton<TimeProvider>(time));
        await AppendAsync(console, 1, "early");
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-03T10:30:00Z", CultureInfo.InvariantCulture));
        await AppendAsync(console, 1, "inside");
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-03T11:00:40Z", CultureInfo.InvariantCulture));
        await AppendAsync(console, 1, "last-minute");
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-03T11:01:00Z", CultureInfo.InvariantCulture));
        await AppendAsync(console, 1, "late");
        var page = console.Context.Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=audit-table] tbody tr").Count));

        var day = new DateTime(2026, 12, 3);
        var dates = page.FindComponents<MudDatePicker>();
        var times = page.FindComponents<MudTimePicker>();
        await page.InvokeAsync(() => dates[0].Instance.DateChanged.InvokeAsync(day));
        await page.InvokeAsync(() => times[0].Instance.TimeChanged.InvokeAsync(new TimeSpan(10, 0, 0)));
        await page.InvokeAsync(() => dates[1].Instance.DateChanged.InvokeAsync(day));
        await page.InvokeAsync(() => times[1].Instance.TimeChanged.InvokeAsync(new TimeSpan(11, 0, 0)));

        // 10:00 up to and including the minute 11:00; without the times it would be the whole day.
        page.WaitForAssertion(() => Assert.Equal(
            ["last-minute", "inside"], page.FindAll("[data-testid=audit-table] tbody tr").Select(r => r.Children[2].TextContent.Trim())));
        Assert.Equal(
            "/console/audit/export?format=csv&from=2026-12-03T10%3A00%3A00.0000000%2B00%3A00&to=2026-12-03T11%3A00%3A59.9999999%2B00%3A00",
            page.Find("[data-testid=export-csv]").GetAttribute("href"));

        await page.InvokeAsync(() => times[1].Instance.TimeChanged.InvokeAsync(null));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=audit-table] tbody tr").Count));
    }

    [Fact]
    public async Task RoleRequired_ReviewerOnTheAdminPage_NamesTheRoleAndWhoIsSignedIn()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "reviewer"), new(System.Security.Claims.ClaimTypes.Role, "Reviewer")], "test"));

        var page = console.Context.Render<RoleRequired>(p => p.Add(x => x.PageType, typeof(UsersPage)).Add(x => x.User, user));

        Assert.Equal("This page needs the Admin role. You are signed in as reviewer (Reviewer).", page.Find("[data-testid=role-required-message]").TextContent);
        Assert.Equal("/", page.Find("a[href='/']").GetAttribute("href"));
    }

    /// <summary>The input or textarea of a MudTextField, wherever MudBlazor puts its data-testid.</summary>
    internal static AngleSharp.Dom.IElement Field<T>(IRenderedComponent<T> page, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? element;
    }

    private static Task AppendAsync(ConsoleServices console, int count, string actor) => console.WithScopeAsync(async sp =>
    {
        var trail = sp.GetRequiredService<AuditTrail>();
        for (var i = 0; i < count; i++)
        {
            await trail.AppendAsync(new AuditRecord(actor, "test.append", $"item:{i}"), CancellationToken.None);
        }
    });
}
