using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Audit;

namespace ModelOps.Tests.Console;

public sealed class AuditLogPageTests
{
    [Fact]
    public async Task ChainStatus_IntactChain_ShowsValidWithCount()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await AppendAsync(console, 3);

        var page = console.Context.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains("Chain valid · 3 rows", page.Find("[data-testid=chain-status]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChainStatus_RowTamperedInDatabase_ShowsBrokenSeq()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await AppendAsync(console, 3);
        await console.WithScopeAsync(sp => sp.GetRequiredService<ModelOpsDbContext>().Database.ExecuteSqlRawAsync("""UPDATE "AuditLog" SET "Actor" = 'mallory' WHERE "Seq" = 2"""));

        var page = console.Context.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains("broken at seq 2", page.Find("[data-testid=chain-status]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Table_ServerPaged_ShowsNewestRowsFirst()
    {
        await using var console = await ConsoleServices.CreateAsync("reviewer", "Reviewer");
        await AppendAsync(console, 30);

        var page = console.Context.Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=audit-table] tbody tr").Count));
        Assert.StartsWith("30", page.FindAll("[data-testid=audit-table] tbody tr")[0].TextContent.Trim(), StringComparison.Ordinal);
    }

    private static Task AppendAsync(ConsoleServices console, int count) => console.WithScopeAsync(async sp =>
    {
        var trail = sp.GetRequiredService<AuditTrail>();
        for (var i = 0; i < count; i++)
        {
            await trail.AppendAsync(new AuditRecord("operator", "test.append", $"item:{i}"), CancellationToken.None);
        }
    });
}
