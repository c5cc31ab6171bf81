using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components;
using ModelOps.Web.Components.Pages.Admin;
using ModelOps.Web.Components.Pages.Audit;

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
