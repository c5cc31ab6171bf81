using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Rollouts;
using ModelOps.Web.Rollouts.Dashboard;

namespace ModelOps.Tests.Console;

/// <summary>Which models the dashboard shows, read by the real <see cref="DashboardReader"/> over migrated SQLite.</summary>
public sealed class DashboardReaderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Read_ActiveRolloutOnModelWithoutChampion_ShowsItsPanelWithTheRollout()
    {
        await using var console = await CreateAsync();
        await NewRolloutPageTests.RegisterAsync(console, datasetHash: null);
        var orphan = RolloutRows.Row("fraud-scorer", RolloutStates.Progressing, Now.AddMinutes(-2));
        await SaveAsync(console, orphan);

        var models = await ReadAsync(console);

        Assert.Equal(["fraud-scorer", "pricing"], models.Select(m => m.Model));
        var panel = models[0];
        Assert.Null(panel.Champion);
        Assert.Equal(orphan.Id, panel.Rollout?.Id);
        Assert.True(panel.Active);
    }

    [Fact]
    public async Task Read_EndedRolloutOnModelWithoutChampion_LeavesItOut()
    {
        await using var console = await CreateAsync();
        await NewRolloutPageTests.RegisterAsync(console, datasetHash: null);
        await SaveAsync(console, RolloutRows.RolledBack("fraud-scorer", Now.AddMinutes(-30)));

        var models = await ReadAsync(console);

        Assert.Equal(["pricing"], models.Select(m => m.Model));
    }

    [Fact]
    public async Task Read_ActiveRolloutStartedBeforeAnEndedOne_ShowsTheActiveOne()
    {
        await using var console = await CreateAsync();
        var active = RolloutRows.Row("fraud-scorer", RolloutStates.Paused, Now.AddHours(-2));
        var later = RolloutRows.RolledBack("fraud-scorer", Now.AddMinutes(-5));
        later.StartedAt = Now.AddMinutes(-10);
        await SaveAsync(console, active, later);

        var panel = Assert.Single(await ReadAsync(console));

        Assert.Equal(active.Id, panel.Rollout?.Id);
    }

    [Fact]
    public async Task Panel_ActiveRolloutWithoutChampion_RendersTheRolloutAndNoChampion()
    {
        await using var console = await CreateAsync();
        await SaveAsync(console, RolloutRows.Row("fraud-scorer", RolloutStates.Progressing, Now.AddMinutes(-2)));
        var panel = Assert.Single(await ReadAsync(console));

        var rendered = console.Context.Render<RolloutPanel>(p => p.Add(x => x.Panel, panel));

        Assert.Equal("champion —", rendered.Find("[data-testid=champion]").TextContent.Trim());
        Assert.Equal("candidate v3 · baseline v2", rendered.Find("[data-testid=candidate]").TextContent.Trim());
    }

    private static Task<ConsoleServices> CreateAsync() => ConsoleServices.CreateAsync("operator", ["Operator"], services => services.AddModelOpsDashboard());

    private static Task SaveAsync(ConsoleServices console, params Rollout[] rollouts) => console.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<ModelOpsDbContext>();
        db.AddRange(rollouts);
        await db.SaveChangesAsync();
    });

    private static async Task<IReadOnlyList<ModelPanel>> ReadAsync(ConsoleServices console)
    {
        IReadOnlyList<ModelPanel> models = [];
        await console.WithScopeAsync(async sp => (models, _) = await sp.GetRequiredService<DashboardReader>().ReadAsync(CancellationToken.None));
        return models;
    }
}
