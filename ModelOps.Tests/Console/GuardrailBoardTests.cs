using Bunit;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Components.Pages.Rollouts;
using ModelOps.Web.Rollouts;
using ModelOps.Web.Rollouts.Dashboard;
using MudBlazor.Services;

namespace ModelOps.Tests.Console;

/// <summary>The dashboard's guardrail board, rendered from a real stored rollout read as GET /api/rollouts/{id} reads it.</summary>
public sealed class GuardrailBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 5, 0, 0, TimeSpan.Zero);

    private static readonly RolloutPlan Plan = RolloutRows.Plan(
        "ctr-ranker",
        new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.2, SustainSeconds: 10),
        new GuardrailSpec(GuardrailMetric.ErrorRate, Limit: 0.02, SustainSeconds: 30),
        new GuardrailSpec(GuardrailMetric.Kpi, Threshold: 0.05, SustainSeconds: 60),
        new GuardrailSpec(GuardrailMetric.LatencyP99, Threshold: 0.3, SustainSeconds: 10));

    [Fact]
    public async Task Board_EachStatus_ShowsTextIconAndColour()
    {
        await using var context = NewContext();

        var board = context.Render<GuardrailBoard>(p => p.Add(b => b.Rows, Rows()));

        var chips = board.FindAll("[data-testid=guardrail-status]");
        Assert.Equal(["Pass", "Marginal", "Insufficient data", "Fail"], chips.Select(c => c.TextContent.Trim()));
        Assert.All(chips, chip => Assert.NotNull(chip.QuerySelector("svg")));
        Assert.Equal(
            ["mud-chip-color-success", "mud-chip-color-warning", "mud-chip-color-default", "mud-chip-color-error"],
            chips.Select(c => c.ClassList.Single(k => k.StartsWith("mud-chip-color-", StringComparison.Ordinal))));
        Assert.Equal(["pass", "marginal", "insufficientData", "fail"], board.FindAll("tr[data-status]").Select(r => r.GetAttribute("data-status")));
    }

    [Fact]
    public async Task Board_BreachShorterThanSustain_ShowsHeldVersusSustainNotSustained()
    {
        await using var context = NewContext();

        var board = context.Render<GuardrailBoard>(p => p.Add(b => b.Rows, Rows()));

        var p95 = board.Find("[data-testid=guardrail-latency_p95] [data-testid=guardrail-breach]").TextContent;
        Assert.Contains("breach held 4 s of 10 s sustain", p95, StringComparison.Ordinal);
        Assert.DoesNotContain("sustained", p95, StringComparison.Ordinal);
        var p99 = board.Find("[data-testid=guardrail-latency_p99] [data-testid=guardrail-breach]").TextContent;
        Assert.Contains("breach held 12 s of 10 s sustain · sustained", p99, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Board_InsufficientData_ShowsSamplesNeededAndEta()
    {
        await using var context = NewContext();

        var board = context.Render<GuardrailBoard>(p => p.Add(b => b.Rows, Rows()));

        Assert.Equal(
            "needs 800 / 900 samples, has 120 / 30 (baseline / candidate) · ETA ~2.5 min",
            board.Find("[data-testid=guardrail-kpi] [data-testid=guardrail-needed]").TextContent.Trim());
        Assert.Equal("enough", board.Find("[data-testid=guardrail-latency_p95] [data-testid=guardrail-needed]").TextContent.Trim());
    }

    [Fact]
    public async Task Board_Values_ShowBaselineCandidateBoundAndPValueInTheMetricsUnit()
    {
        await using var context = NewContext();

        var board = context.Render<GuardrailBoard>(p => p.Add(b => b.Rows, Rows()));

        var cells = board.FindAll("[data-testid=guardrail-latency_p99] td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["20 ms", "35.5 ms", "+30 % vs baseline", "0.0012 (α 0.005)"], cells.Skip(2).Take(4));
        var errors = board.FindAll("[data-testid=guardrail-error_rate] td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["0.5 %", "1.8 %", "limit 2 %"], errors.Skip(2).Take(3));
    }

    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        return context;
    }

    /// <summary>A stored rollout with the judge's record in plan order, read through <see cref="RolloutView.From"/> like the API.</summary>
    private static IReadOnlyList<GuardrailBoardRow> Rows()
    {
        var rollout = RolloutRows.Row("ctr-ranker", RolloutStates.Progressing, Now.AddMinutes(-5), Plan);
        rollout.JudgeJson = new JudgeRecord(Now, [],
        [
            Verdict(GuardrailMetric.LatencyP95, VerdictStatus.Pass, 20, 22, 0.2, null, 0.04, Now.AddSeconds(-4)),
            Verdict(GuardrailMetric.ErrorRate, VerdictStatus.Marginal, 0.005, 0.018, null, 0.02, 0.02),
            Verdict(GuardrailMetric.Kpi, VerdictStatus.InsufficientData, 0.11, null, 0.05, null, null, needed: new SampleCounts(800, 900), eta: 150),
            Verdict(GuardrailMetric.LatencyP99, VerdictStatus.Fail, 20, 35.5, 0.3, null, 0.0012, Now.AddSeconds(-12)),
        ]).Write();
        var view = RolloutView.From(rollout, live: null);
        return GuardrailBoardRow.Board(view, Plan, Now);
    }

    private static VerdictRecord Verdict(
        GuardrailMetric metric, VerdictStatus status, double? baseline, double? candidate, double? threshold, double? limit, double? pValue,
        DateTimeOffset? breachedSince = null, SampleCounts? needed = null, double? eta = null) =>
        new(metric, status, baseline, candidate, threshold, limit, GuardrailSpec.DefaultAlpha, null, null, null, pValue, breachedSince,
            needed is null ? new SampleCounts(5_000, 1_000) : new SampleCounts(120, 30), needed, eta, Sustained: false, Reason: $"{metric} as judged");
}
