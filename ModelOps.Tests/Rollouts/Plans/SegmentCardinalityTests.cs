using ModelOps.Core.Common;
using ModelOps.Core.Demo;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Tests.Rollouts.Plans;

/// <summary>segmentBy on a KPI guardrail: parsed, its number of segments fixed from the candidate's encoder, anything else a 400 naming the field.</summary>
public sealed class SegmentCardinalityTests
{
    [Theory]
    [InlineData("hourOfDay", 24)]
    [InlineData("hour", 25)] // 23 edges → 24 buckets, plus a missing value
    [InlineData("device", 5)] // 3 devices, plus missing and outside the vocabulary
    public void Resolve_KnownKey_FixesTheNumberOfSegments(string segmentBy, int k)
    {
        var plan = Resolve(segmentBy);

        var kpi = plan.Value!.Guardrails.Single(g => g.Metric == GuardrailMetric.Kpi);
        Assert.Equal((segmentBy, k), (kpi.SegmentBy, kpi.SegmentCount));
    }

    [Theory]
    [InlineData("weather")] // not a feature
    [InlineData("user_id")] // personal
    [InlineData("item_popularity")] // numeric without buckets
    public void Resolve_UnknownOrUnsegmentableKey_IsInvalidNamingSegmentBy(string segmentBy)
    {
        var plan = Resolve(segmentBy);

        Assert.Equal((ErrorKind.Invalid, "guardrails[2].segmentBy"), (plan.Error!.Kind, plan.Error.Field));
        Assert.Contains(segmentBy, plan.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SegmentByOnLatency_IsInvalidNamingSegmentBy()
    {
        var request = Request("hourOfDay") with { Guardrails = [GuardrailTemplates.Default[0] with { SegmentBy = "hourOfDay" }] };

        var plan = RolloutPlanner.Plan(request, champion: 2);

        Assert.Equal("guardrails[0].segmentBy", plan.Error!.Field);
    }

    [Fact]
    public void Plan_EmptySegmentBy_IsInvalidNamingSegmentBy()
    {
        var plan = RolloutPlanner.Plan(Request(" "), champion: 2);

        Assert.Equal("guardrails[2].segmentBy", plan.Error!.Field);
    }

    [Fact]
    public void Plan_WithoutSegmentBy_LeavesTheKpiPooled()
    {
        var plan = SegmentCardinality.Resolve(RolloutPlanner.Plan(Request(null), champion: 2).Value!, CtrEncoderSpecs.Version2());

        Assert.All(plan.Value!.Guardrails, g => Assert.Equal((null, 0), (g.SegmentBy, g.SegmentCount)));
    }

    [Theory]
    [InlineData("hour", 5)] // 4 parts of the day, plus a missing value
    [InlineData("item_popularity", 5)] // a numeric feature without buckets of its own
    [InlineData("hourOfDay", 4)] // the UTC hour is never missing
    public void Resolve_SegmentEdges_CountTheirIntervals(string segmentBy, int k)
    {
        var plan = Resolve(segmentBy, [6, 12, 18]);

        var kpi = plan.Value!.Guardrails.Single(g => g.Metric == GuardrailMetric.Kpi);
        Assert.Equal(k, kpi.SegmentCount);
        Assert.Equal([6, 12, 18], kpi.SegmentEdges!);
    }

    [Fact]
    public void Resolve_SegmentEdgesOnACategoricalFeature_IsInvalidNamingSegmentEdges()
    {
        var plan = Resolve("device", [1]);

        Assert.Equal((ErrorKind.Invalid, "guardrails[2].segmentEdges"), (plan.Error!.Kind, plan.Error.Field));
    }

    [Theory]
    [InlineData("hour", new double[0])]
    [InlineData("hour", new double[] { 12, 6 })]
    [InlineData("hour", new double[] { 6, 6 })]
    [InlineData("hour", new double[] { double.NaN })]
    [InlineData(null, new double[] { 6 })]
    public void Plan_InvalidSegmentEdges_IsInvalidNamingSegmentEdges(string? segmentBy, double[] edges)
    {
        var plan = RolloutPlanner.Plan(Request(segmentBy, edges), champion: 2);

        Assert.Equal((ErrorKind.Invalid, "guardrails[2].segmentEdges"), (plan.Error!.Kind, plan.Error.Field));
    }

    [Fact]
    public void Choices_CtrEncoder_OffersHourOfDayThenEachNonPersonalSegmentableFeature()
    {
        var choices = SegmentCardinality.Choices(CtrEncoderSpecs.Version2());

        Assert.Equal(
            [("hourOfDay", true, false), ("hour", true, false), ("device", false, false), ("region", false, false), ("item_popularity", true, true), ("user_tenure_days", true, true)],
            choices.Select(c => (c.Key, c.TakesEdges, c.NeedsEdges)));
    }

    [Fact]
    public void Choices_EveryChoiceResolvesAndNoOtherFeatureDoes()
    {
        var encoder = CtrEncoderSpecs.Version2();
        var choices = SegmentCardinality.Choices(encoder);

        Assert.All(choices, c => Assert.True(Resolve(c.Key, c.NeedsEdges ? [6, 12, 18] : null).IsSuccess, c.Key));
        Assert.All(choices.Where(c => c.TakesEdges), c => Assert.True(Resolve(c.Key, [6, 12, 18]).IsSuccess, c.Key));
        Assert.All(choices.Where(c => c.NeedsEdges || !c.TakesEdges), c => Assert.False(Resolve(c.Key, c.NeedsEdges ? null : [1]).IsSuccess, c.Key));
        Assert.All(encoder.Features.Where(f => choices.All(c => c.Key != f.Name)), f => Assert.False(Resolve(f.Name).IsSuccess, f.Name));
    }

    [Fact]
    public void Choices_NoEncoder_OffersHourOfDayOnly() =>
        Assert.Equal(["hourOfDay"], SegmentCardinality.Choices(null).Select(c => c.Key));

    private static Result<RolloutPlan> Resolve(string segmentBy, double[]? edges = null)
    {
        var planned = RolloutPlanner.Plan(Request(segmentBy, edges), champion: 2);
        return planned.IsSuccess ? SegmentCardinality.Resolve(planned.Value, CtrEncoderSpecs.Version2()) : planned;
    }

    private static RolloutRequest Request(string? segmentBy, double[]? edges = null) => new(
        "ctr-ranker", 3, "canary", [new(50, 600, null)],
        [.. GuardrailTemplates.Default.Select(g => g.Metric == "kpi" ? g with { SegmentBy = segmentBy, SegmentEdges = edges } : g)],
        null, null, "ml-platform", null, null, null, null);
}
