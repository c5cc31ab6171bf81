using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.RolloutWizard;
using ModelOps.Web.Rollouts;
using static ModelOps.Tests.Console.NewRolloutPageTests;

namespace ModelOps.Tests.Console;

/// <summary>
/// The wizard's added guardrails and staged rollback, through the real planner, preflight and start:
/// what the operator enters reaches the started rollout's plan, and a bad entry shows the planner's own error on its field.
/// </summary>
public sealed class NewRolloutPagePlanTests
{
    [Fact]
    public async Task AddKpiGuardrail_SegmentedByHourWithEdges_ReachesTheStartedPlan()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);
        var added = page.FindAll("[data-testid^=guardrail-meaning-]").Count;

        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-add-kpi]").Click());
        await NewRolloutGuardrailTests.SegmentByAsync(page, added, "hourOfDay");
        page.Find($"input[data-testid=guardrail-segmentEdges-{added}]").Change("6, 12, 18");
        await PreflightAndStartAsync(page);

        var plan = await StartedPlanAsync(console);
        var kpi = plan.Guardrails[added];
        Assert.Equal("hourOfDay", kpi.SegmentBy);
        Assert.Equal([6d, 12d, 18d], kpi.SegmentEdges);
        Assert.Equal(4, kpi.SegmentCount);
        Assert.Equal(0.02, kpi.Threshold);
    }

    [Fact]
    public async Task AddKpiGuardrail_EdgesNotIncreasing_ShowsTheParsersErrorOnItsRow()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);
        var added = page.FindAll("[data-testid^=guardrail-meaning-]").Count;

        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-add-kpi]").Click());
        await NewRolloutGuardrailTests.SegmentByAsync(page, added, "hourOfDay");
        page.Find($"input[data-testid=guardrail-segmentEdges-{added}]").Change("12, 6");
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.Contains("strictly increasing", page.Find($"[data-testid=guardrail-{added}]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("strictly increasing", page.Find("[data-testid=guardrail-2]").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task StagedRollback_WeightsAndHold_ReachTheStartedPlan()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);

        await ChooseStagedAsync(page);
        page.Find("input[data-testid=wizard-rollback-weights]").Change("50, 20, 0");
        page.Find("input[data-testid=wizard-rollback-hold]").Change("15");
        await PreflightAndStartAsync(page);

        var plan = await StartedPlanAsync(console);
        Assert.True(plan.StagedRollback);
        Assert.Equal([new RollbackStep(50, 15), new RollbackStep(20, 15), new RollbackStep(0, 0)], plan.RollbackSteps);
    }

    [Theory]
    [InlineData("50, lots, 0", "weight (missing)")]
    [InlineData("50, 60, 0", "weight 60 must be in [0, 100) and below the step before")]
    [InlineData("50, 25", "must end at weight 0")]
    public async Task StagedRollback_InvalidWeights_ShowsThePlannersErrorOnTheFieldAndStartStaysDisabled(string weights, string error)
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);

        await ChooseStagedAsync(page);
        page.Find("input[data-testid=wizard-rollback-weights]").Change(weights);
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.Contains(error, WeightsField(page).TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("mud-input-error", WeightsField(page).InnerHtml, StringComparison.Ordinal);
        Assert.True(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=preflight-checks]"));
    }

    [Fact]
    public void Addable_EveryMetric_ParsesAsItIsAndSrmIsNotOffered()
    {
        var problems = GuardrailTemplates.Addable
            .Select((g, i) => GuardrailParser.Parse(g, $"guardrails[{i}]"))
            .Select(r => r.IsSuccess ? null : r.Error.Detail).OfType<string>();

        Assert.Empty(problems);
        Assert.DoesNotContain(GuardrailTemplates.Addable, g => g.Metric is "srm" or "null_rate" or "drift_psi");
    }

    [Fact]
    public void Form_AddOffline_PlansAnOfflineGuardrailOnAuc()
    {
        var form = new NewRolloutForm { Model = "ctr-ranker", CandidateVersion = 3, Owner = "team" };

        form.AddGuardrail("offline");
        var plan = RolloutPlanner.Plan(form.ToRequest([]), champion: 2);

        Assert.True(plan.IsSuccess, plan.IsSuccess ? null : plan.Error.Detail);
        Assert.Equal("auc", Assert.Single(plan.Value.Guardrails, g => g.Metric == Core.Rollouts.Judging.GuardrailMetric.Offline).MetricName);
    }

    internal static IRenderedComponent<NewRolloutPage> RenderWithOwner(ConsoleServices console)
    {
        var page = console.Context.Render<NewRolloutPage>();
        page.WaitForAssertion(() => Assert.Contains("v2", page.Find("[data-testid=wizard-candidate]").OuterHtml, StringComparison.Ordinal));
        page.Find("input[data-testid=wizard-owner]").Input("ranking-team");
        return page;
    }

    private static async Task ChooseStagedAsync(IRenderedComponent<NewRolloutPage> page)
    {
        var staged = page.Find("[data-testid=wizard-rollback-staged]");
        var input = staged is { TagName: "INPUT" } ? staged : staged.QuerySelector("input") ?? throw new InvalidOperationException(staged.OuterHtml);
        await page.InvokeAsync(() => input.Click());
        page.WaitForAssertion(() => page.Find("input[data-testid=wizard-rollback-weights]"));
    }

    /// <summary>The weights input's whole MudTextField (its helper line carries the error text).</summary>
    private static IElement WeightsField(IRenderedComponent<NewRolloutPage> page) =>
        page.Find("input[data-testid=wizard-rollback-weights]").Closest(".mud-input-control") ?? throw new InvalidOperationException("No field around the weights input.");

    internal static async Task PreflightAndStartAsync(IRenderedComponent<NewRolloutPage> page)
    {
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());
        page.WaitForAssertion(() => Assert.False(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"), page.Markup), TimeSpan.FromSeconds(20));
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-start]").Click());
    }

    /// <summary>The plan of the one rollout started on "pricing", read back from the store as <c>GET /api/rollouts/{id}</c> does.</summary>
    internal static async Task<RolloutPlan> StartedPlanAsync(ConsoleServices console)
    {
        RolloutPlan? plan = null;
        await console.WithScopeAsync(async sp =>
        {
            var rollout = Assert.Single(await sp.GetRequiredService<RolloutService>().ListAsync("pricing", null, CancellationToken.None));
            plan = RolloutPlanJson.Read(rollout.PlanJson);
        });
        return plan ?? throw new InvalidOperationException("The started rollout has no plan.");
    }
}
