using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Inference.Onnx;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.RolloutWizard;
using MudBlazor;
using static ModelOps.Tests.Console.NewRolloutPagePlanTests;
using static ModelOps.Tests.Console.NewRolloutPageTests;

namespace ModelOps.Tests.Console;

/// <summary>
/// The wizard's per-guardrail statistics (α, min samples, KPI attribution) and KPI segmentation, through the
/// real planner, preflight and start: pre-filled with the planner's defaults, edits reach the started plan,
/// and segment edges that are not numbers are refused on their field before anything is sent.
/// </summary>
public sealed class NewRolloutGuardrailTests
{
    /// <summary>The default template's KPI guardrail (latency p95, error rate, kpi).</summary>
    private const int Kpi = 2;

    [Fact]
    public async Task Guardrails_Prefilled_ShowThePlannersDefaultsAndSayWhatTheyMean()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);

        var page = RenderWithOwner(console);

        Assert.Equal("0.005", page.Find($"input[data-testid=guardrail-alpha-{Kpi}]").GetAttribute("value"));
        Assert.Equal("100", page.Find($"input[data-testid=guardrail-minSamples-{Kpi}]").GetAttribute("value"));
        Assert.Equal("60", page.Find($"input[data-testid=guardrail-attributionSeconds-{Kpi}]").GetAttribute("value"));
        Assert.Empty(page.FindAll("input[data-testid=guardrail-attributionSeconds-0]"));
        Assert.Contains("Judged once each arm has 100 observations, at α 0.005", page.Find($"[data-testid=guardrail-meaning-{Kpi}]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_Added_OffersNoWindowAlphaOrMinSamplesAndSaysItIsJudgedFromTheRegistry()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);

        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-add-offline]").Click());

        var row = page.WaitForElement("[data-testid=guardrail-3]");
        Assert.Contains("offline", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("input[data-testid=guardrail-alpha-3]"));
        Assert.Empty(page.FindAll("input[data-testid=guardrail-minSamples-3]"));
        Assert.DoesNotContain("Window (s)", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Window (s)", page.Find("[data-testid=guardrail-0]").TextContent, StringComparison.Ordinal);
        var meaning = page.Find("[data-testid=guardrail-meaning-3]").TextContent;
        Assert.Contains("Judged from the registry's numbers, not from traffic", meaning, StringComparison.Ordinal);
        Assert.DoesNotContain("observations, at α", meaning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guardrails_EditedAlphaMinSamplesAndAttribution_ReachTheStartedPlan()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);

        page.Find($"input[data-testid=guardrail-alpha-{Kpi}]").Change("0.01");
        page.Find($"input[data-testid=guardrail-minSamples-{Kpi}]").Change("250");
        page.Find($"input[data-testid=guardrail-attributionSeconds-{Kpi}]").Change("120");
        page.Find("input[data-testid=guardrail-minSamples-0]").Change("40");
        await PreflightAndStartAsync(page);

        var plan = await StartedPlanAsync(console);
        var kpi = plan.Guardrails[Kpi];
        Assert.Equal((GuardrailMetric.Kpi, 0.01, 250L, 120), (kpi.Metric, kpi.Alpha, kpi.MinSamples, kpi.AttributionSeconds));
        Assert.Equal((GuardrailMetric.LatencyP95, 40L, GuardrailSpec.DefaultAlpha), (plan.Guardrails[0].Metric, plan.Guardrails[0].MinSamples, plan.Guardrails[0].Alpha));
    }

    [Theory]
    [InlineData("6, noon, 18", "'noon' is not a number")]
    [InlineData("6;12", "'6;12' is not a number")]
    public async Task SegmentEdges_NotANumber_RefusedOnTheFieldAsTypedAndNothingIsSent(string edges, string error)
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var page = RenderWithOwner(console);

        await SegmentByAsync(page, Kpi, "hourOfDay");
        page.Find($"input[data-testid=guardrail-segmentEdges-{Kpi}]").Change(edges);
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.Contains($"Segment edges: {error}", EdgesField(page).TextContent, StringComparison.Ordinal));
        Assert.Equal(edges, page.Find($"input[data-testid=guardrail-segmentEdges-{Kpi}]").GetAttribute("value"));
        Assert.DoesNotContain("NaN", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=preflight-checks]"));
        Assert.True(page.Find("button[data-testid=wizard-start]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task SegmentBy_OffersHourOfDayWhenTheCandidateHasNoEncoder()
    {
        await using var console = await CreateAsync();
        await RegisterAsync(console, datasetHash: null);
        var popovers = console.Context.Render<MudPopoverProvider>();
        var page = RenderWithOwner(console);

        var select = SegmentBy(page, Kpi);
        await page.InvokeAsync(() => select.Instance.OpenMenu());

        popovers.WaitForAssertion(() => Assert.Equal(
            ["(not segmented)", "hourOfDay — the UTC hour served (24 segments, or the intervals the edges cut)"],
            popovers.FindAll(".mud-list-item-text").Select(i => i.TextContent.Trim())));
    }

    [Fact]
    public async Task SegmentBy_CandidateWithEncoder_OffersItsSegmentableFeaturesAndTheChosenOneReachesThePlan()
    {
        await using var console = await CreateAsync();
        await RegisterDemoFamilyAsync(console);
        var popovers = console.Context.Render<MudPopoverProvider>();
        var page = console.Context.Render<NewRolloutPage>();
        page.WaitForAssertion(() => Assert.Contains("v3", page.Find("[data-testid=wizard-candidate]").OuterHtml, StringComparison.Ordinal));
        page.Find("input[data-testid=wizard-owner]").Input("ranking-team");

        await page.InvokeAsync(() => SegmentBy(page, Kpi).Instance.OpenMenu());
        popovers.WaitForAssertion(() => Assert.Equal(
            ["(not segmented)", "hourOfDay", "hour", "device", "region", "item_popularity", "user_tenure_days"],
            popovers.FindAll(".mud-list-item-text").Select(i => i.TextContent.Trim().Split(" — ")[0])));
        await page.InvokeAsync(() => SegmentBy(page, Kpi).Instance.CloseMenu());
        await SegmentByAsync(page, Kpi, "device");
        await PreflightAndStartAsync(page);

        RolloutPlan? plan = null;
        await console.WithScopeAsync(async sp => plan = RolloutPlanJson.Read(Assert.Single(await sp.GetRequiredService<RolloutService>().ListAsync(DemoModelFamily.ModelName, null, CancellationToken.None)).PlanJson));
        Assert.Equal(("device", 5), (plan?.Guardrails[Kpi].SegmentBy, plan?.Guardrails[Kpi].SegmentCount));
    }

    [Fact]
    public async Task SegmentBy_NumericFeatureWithoutBucketsAndNoEdges_AsksForEdgesOnTheField()
    {
        await using var console = await CreateAsync();
        await RegisterDemoFamilyAsync(console);
        var page = console.Context.Render<NewRolloutPage>();
        page.WaitForAssertion(() => Assert.Contains("v3", page.Find("[data-testid=wizard-candidate]").OuterHtml, StringComparison.Ordinal));
        page.Find("input[data-testid=wizard-owner]").Input("ranking-team");

        await SegmentByAsync(page, Kpi, "item_popularity");
        await page.InvokeAsync(() => page.Find("button[data-testid=wizard-preflight]").Click());

        page.WaitForAssertion(() => Assert.Contains("'item_popularity' has no buckets of its own; give edges", EdgesField(page).TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=preflight-checks]"));
    }

    /// <summary>Picks <paramref name="value"/> in guardrail <paramref name="index"/>'s Segment by select, as choosing its item does.</summary>
    internal static async Task SegmentByAsync(IRenderedComponent<NewRolloutPage> page, int index, string value)
    {
        var select = SegmentBy(page, index);
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static IRenderedComponent<MudSelect<string>> SegmentBy(IRenderedComponent<NewRolloutPage> page, int index) =>
        page.FindComponents<MudSelect<string>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), $"guardrail-segmentBy-{index}"));

    private static AngleSharp.Dom.IElement EdgesField(IRenderedComponent<NewRolloutPage> page) =>
        page.Find($"input[data-testid=guardrail-segmentEdges-{Kpi}]").Closest(".mud-input-control") ?? throw new InvalidOperationException("No field around the edges input.");

    /// <summary>The demo's ctr-ranker v1–v3 with their ctr-features encoders, champion v2, as demo mode seeds them.</summary>
    private static Task RegisterDemoFamilyAsync(ConsoleServices console) => console.WithScopeAsync(async sp =>
    {
        var registry = sp.GetRequiredService<ModelRegistry>();
        foreach (var demo in new DemoModelFamily(new LinearModelOnnxWriter()).Build(42))
        {
            Assert.True((await registry.RegisterEncoderAsync(demo.EncoderSpec, "operator", CancellationToken.None)).IsSuccess);
            await using var bytes = new MemoryStream(demo.OnnxBytes, writable: false);
            var registration = new VersionRegistration(demo.TrainingRunId, demo.DatasetHash, $"{demo.EncoderName}@{demo.EncoderVersion}");
            Assert.True((await registry.RegisterVersionAsync(DemoModelFamily.ModelName, bytes, registration, "operator", CancellationToken.None)).IsSuccess);
        }

        Assert.True((await registry.MoveAliasAsync(DemoModelFamily.ModelName, "champion", 2, "baseline", "operator", CancellationToken.None)).IsSuccess);
    });
}
