using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.RolloutWizard;
using ModelOps.Web.Rollouts;
using Quartz;

namespace ModelOps.Tests.Console;

/// <summary>The new-rollout wizard over a real registry and the real planner and preflight (<see cref="RolloutLauncher"/>).</summary>
public sealed class NewRolloutPageTests
{
    [Fact]
    public async Task Preflight_OwnerMissing_NamesTheFieldAndRunsNoCheck()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = console.Context.Render<NewRolloutPage>();
        page.WaitForAssertion(() => Assert.Contains("v2", page.Find("[data-testid=wizard-candidate]").OuterHtml, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.Contains("Name the owner", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=preflight-checks]"));
        Assert.True(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Preflight_CandidateTrainedOnFlaggedDataset_ListsEveryCheckAndStartStaysDisabled()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: "sha256:bad");
        await console.WithScopeAsync(async sp => Assert.True((await sp.GetRequiredService<DatasetFlags>().FlagAsync("sha256:bad", "labels shuffled", "operator", CancellationToken.None)).IsSuccess));
        var page = console.Context.Render<NewRolloutPage>();
        page.WaitForAssertion(() => Assert.Contains("v2", page.Find("[data-testid=wizard-candidate]").OuterHtml, StringComparison.Ordinal));

        page.Find("input[data-testid=wizard-owner]").Input("ranking-team");
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.Contains("FAIL", page.Find("[data-testid=preflight-checks]").TextContent, StringComparison.Ordinal));
        var checks = page.Find("[data-testid=preflight-checks]").TextContent;
        Assert.Contains("candidate.registered", checks, StringComparison.Ordinal);
        Assert.Contains("noActiveRollout", checks, StringComparison.Ordinal);
        Assert.Contains("sha256:bad", checks, StringComparison.Ordinal);
        Assert.True(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"));
        Assert.Contains("did not pass", page.Find("[data-testid=wizard-start-why]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_AllPass_EnablesStartUntilTheFormChanges()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = console.Context.Render<NewRolloutPage>();
        page.WaitForAssertion(() => Assert.Contains("v2", page.Find("[data-testid=wizard-candidate]").OuterHtml, StringComparison.Ordinal));
        page.Find("input[data-testid=wizard-owner]").Input("ranking-team");

        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.False(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"), page.Find("[data-testid=preflight-checks]").TextContent), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("FAIL", page.Find("[data-testid=preflight-checks]").TextContent, StringComparison.Ordinal);

        page.Find("input[data-testid=wizard-owner]").Input("another-team");

        page.WaitForAssertion(() => Assert.True(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled")));
    }

    [Fact]
    public void Form_GuardrailWithoutBoundAndTargetEqualToCandidate_NamesBothFields()
    {
        var form = new NewRolloutForm { Model = "ctr-ranker", CandidateVersion = 3, RollbackTarget = 3, Owner = "team" };
        form.Guardrails[0] = form.Guardrails[0] with { Request = form.Guardrails[0].Request with { Threshold = null, Limit = null } };

        var errors = form.Validate([]);

        Assert.Equal(["guardrails[0].threshold", "rollbackTarget"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StepTemplates_ModelWithRegions_OffersRegionByRegionThatThePlannerAccepts()
    {
        var form = new NewRolloutForm { Model = "ctr-ranker", CandidateVersion = 3, Owner = "team", StepTemplate = StepTemplate.RegionByRegion };

        var plan = Core.Rollouts.Plans.RolloutPlanner.Plan(form.ToRequest(["eu", "us"]), champion: 2);

        Assert.True(plan.IsSuccess, plan.IsSuccess ? null : plan.Error.Detail);
        Assert.Equal([["eu"], ["eu"], ["us"], ["us"], []], plan.Value.Steps.Select(s => s.Regions.ToArray()));
        Assert.DoesNotContain(StepTemplate.For("canary", []), t => t.Key == StepTemplate.RegionByRegion);
    }

    internal static Task<ConsoleServices> CreateAsync() => ConsoleServices.CreateAsync("operator", ["Operator"], services =>
    {
        services.AddQuartz();
        services.AddOptions<GatesOptions>();
        services.AddSingleton<RolloutJobs>();
        services.AddScoped<RolloutLauncher>();
    });

    /// <summary>"pricing" v1 (champion) and v2, the same signature; v2 trained on <paramref name="datasetHash"/>.</summary>
    internal static Task RegisterAsync(ConsoleServices console, string? datasetHash) => console.WithScopeAsync(async sp =>
    {
        var registry = sp.GetRequiredService<ModelRegistry>();
        foreach (var (weight, dataset) in new[] { (0.1f, (string?)null), (0.2f, datasetHash) })
        {
            await using var stream = new MemoryStream(new LinearModelOnnxWriter().Serialize(new LinearModel([weight, 0.2f], 0.3f)));
            Assert.True((await registry.RegisterVersionAsync("pricing", stream, new VersionRegistration(DatasetHash: dataset), "operator", CancellationToken.None)).IsSuccess);
        }

        Assert.True((await registry.MoveAliasAsync("pricing", "champion", 1, "baseline", "operator", CancellationToken.None)).IsSuccess);
    });
}
