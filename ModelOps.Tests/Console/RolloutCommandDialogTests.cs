using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Rollouts;
using ModelOps.Web.Rollouts;
using ModelOps.Web.Rollouts.Dashboard;
using MudBlazor;

namespace ModelOps.Tests.Console;

/// <summary>The rollback dialog and the actions around it, over the real services (SQLite, the real RolloutService).</summary>
public sealed class RolloutCommandDialogTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RollbackDialog_CanaryAtFivePercent_StatesVersionsAndTrafficBeforeAndAfter()
    {
        await using var console = await CreateAsync("operator", "Operator");
        var provider = console.Context.Render<MudDialogProvider>();

        await ShowAsync(console, Canary(), RolloutCommand.Rollback);

        var effects = provider.Find("[data-testid=command-effects]").TextContent;
        Assert.Contains("goes back to v2 (the rollback target); candidate v3 stops taking traffic", effects, StringComparison.Ordinal);
        Assert.Contains("Traffic now: v2 95 % · v3 5 %. After: v2 100 %", effects, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollbackDialog_NoReason_CannotBeConfirmedUntilOneIsTyped()
    {
        await using var console = await CreateAsync("operator", "Operator");
        var provider = console.Context.Render<MudDialogProvider>();
        await ShowAsync(console, Canary(), RolloutCommand.Rollback);

        Assert.True(provider.Find("[data-testid=command-confirm]").HasAttribute("disabled"));
        Assert.Contains("Roll back needs a reason", provider.Find("[data-testid=reason-missing]").TextContent, StringComparison.Ordinal);

        provider.Find("textarea[data-testid=command-reason]").Input("p95 doubled on the canary");

        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=command-confirm]").HasAttribute("disabled")));
        Assert.Empty(provider.FindAll("[data-testid=reason-missing]"));
    }

    [Fact]
    public async Task PauseDialog_NoReason_CanBeConfirmed()
    {
        await using var console = await CreateAsync("operator", "Operator");
        var provider = console.Context.Render<MudDialogProvider>();

        await ShowAsync(console, Canary(), RolloutCommand.Pause);

        Assert.False(provider.Find("[data-testid=command-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Actions_AsReviewer_AreDisabledSayingTheyNeedOperator()
    {
        await using var console = await CreateAsync("reviewer", "Reviewer");

        var actions = console.Context.Render<RolloutActions>(p => p.Add(a => a.Rollout, Canary()));

        foreach (var command in new[] { "rollback", "pause", "resume", "promote" })
        {
            Assert.True(actions.Find($"[data-testid=action-{command}]").HasAttribute("disabled"));
            Assert.Contains(RolloutActions.NeedsOperator, actions.Find($"[data-testid=action-{command}-reason]").TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Actions_AsOperator_OfferWhatTheStateAllows()
    {
        await using var console = await CreateAsync("operator", "Operator");

        var actions = console.Context.Render<RolloutActions>(p => p.Add(a => a.Rollout, Canary()));

        Assert.False(actions.Find("[data-testid=action-rollback]").HasAttribute("disabled"));
        Assert.False(actions.Find("[data-testid=action-pause]").HasAttribute("disabled"));
        // Progressing already: resume would change nothing, so it is not offered (the tooltip says why).
        Assert.True(actions.Find("[data-testid=action-resume]").HasAttribute("disabled"));
        Assert.Equal("The rollout is already progressing.", actions.Find("[data-testid=action-resume]").GetAttribute("title"));
        Assert.Empty(actions.FindAll("[data-testid=action-rollback-reason]"));
    }

    [Fact]
    public async Task Confirm_RolloutRolledBackMeanwhile_SaysAlreadyRolledBackAndChangesNothing()
    {
        await using var console = await CreateAsync("operator", "Operator");
        var stored = RolloutRows.RolledBack("ctr-ranker", Now, trigger: "manual");
        await console.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ModelOpsDbContext>();
            db.Add(stored);
            await db.SaveChangesAsync();
        });
        // The dialog was opened on the rollout as it stood before another operator rolled it back.
        var stale = Canary() with { Id = stored.Id };
        var provider = console.Context.Render<MudDialogProvider>();
        var actions = console.Context.Render<RolloutActions>(p => p.Add(a => a.Rollout, stale));

        // The click's handler awaits the dialog's result: it completes only once the dialog closes.
        var clicked = actions.Find("[data-testid=action-rollback]").ClickAsync(new());
        provider.WaitForElement("textarea[data-testid=command-reason]").Input("latency regression");
        await provider.Find("[data-testid=command-confirm]").ClickAsync(new());
        await clicked.WaitAsync(TimeSpan.FromSeconds(10));

        actions.WaitForAssertion(() => Assert.Contains("already rolled back; nothing changed", actions.Find("[data-testid=action-outcome]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    private static Task<ConsoleServices> CreateAsync(string user, string role) =>
        ConsoleServices.CreateAsync(user, [role], services =>
        {
            services.AddLogging();
            services.AddModelOpsDashboard();
        });

    private static async Task ShowAsync(ConsoleServices console, RolloutView rollout, RolloutCommand command)
    {
        var dialogs = console.Context.Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<RolloutCommandDialog>
        {
            { d => d.Rollout, rollout },
            { d => d.Command, command },
            { d => d.User, new System.Security.Claims.ClaimsPrincipal() },
        };
        await console.Context.Renderer.Dispatcher.InvokeAsync(() => dialogs.ShowAsync<RolloutCommandDialog>(null, parameters));
    }

    /// <summary>A progressing 5 % canary of v3 over v2, with its live split, as the API shows it.</summary>
    private static RolloutView Canary() =>
        RolloutView.From(RolloutRows.Row("ctr-ranker", RolloutStates.Progressing, Now), RoutingTable.Canary("ctr-ranker", 2, 3, 5, 1).Value);
}
