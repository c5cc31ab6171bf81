using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

/// <summary>
/// A KPI guardrail judged per segment: a harm confined to one segment is caught there while the
/// pooled test passes; an identical candidate fails at most α of seeded runs; the state survives a
/// round trip through the stored JSON.
/// </summary>
public sealed class SegmentedKpiTests
{
    private const string Dimension = "feature.period";
    private const double Alpha = 0.05;

    private static readonly GuardrailSpec Pooled = new(GuardrailMetric.Kpi, Threshold: 0.02, Alpha: Alpha);
    private static readonly GuardrailSpec Segmented = Pooled with { SegmentBy = "period", SegmentCount = 3 };

    [Fact]
    public void Judge_HarmOnlyAtNight_FailsInTheNightSegmentWhilePooledPasses()
    {
        // 95 % of traffic by day (level), 5 % at night with 30 % fewer clicks: pooled −1.5 %, inside −2 %.
        var pooled = Run(Pooled, seed: 11, looks: 600, nightDrop: 0.3);
        var segmented = Run(Segmented, seed: 11, looks: 600, nightDrop: 0.3);

        Assert.DoesNotContain(pooled, v => v.Status == VerdictStatus.Fail);
        Assert.Equal(VerdictStatus.Pass, pooled[^1].Status);
        var sustained = segmented.First(v => v.Sustained);
        Assert.Equal(VerdictStatus.Fail, sustained.Status);
        Assert.Equal("feature.period=night", sustained.Segments!.DecidedBy);
        Assert.StartsWith("The KPI in segment feature.period=night fails", sustained.Reason, StringComparison.Ordinal);
        Assert.Equal(Alpha / 6, sustained.Alpha, 12);
        Assert.True(sustained.Effect < -0.1, $"effect {sustained.Effect}");

        // Pooled figures stay visible beside the segments, and the day segment is fine.
        Assert.Equal(VerdictStatus.Pass, sustained.Segments.Pooled.Status);
        Assert.Equal(Alpha / 2, sustained.Segments.Pooled.Alpha, 12);
        Assert.Equal(["feature.period=night", "feature.period=day"], sustained.Segments.Segments.Select(s => s.Segment));
        Assert.Equal(VerdictStatus.Fail, sustained.Segments.Segments[0].Status);
        Assert.NotEqual(VerdictStatus.Fail, sustained.Segments.Segments[1].Status);
    }

    [Fact]
    public void Judge_IdenticalCandidateOverManySeeds_FailsAtMostAlpha()
    {
        const int Seeds = 200;
        var failed = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            failed += Run(Segmented, seed, looks: 300, nightDrop: 0, nightShare: 0.3).Any(v => v.Sustained) ? 1 : 0;
        }

        Assert.InRange((double)failed / Seeds, 0, Alpha);
    }

    [Fact]
    public void Judge_EverySegmentExactlyAtTheBound_FailsAtMostAlpha()
    {
        const int Seeds = 200;
        var failed = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(1_000 + seed);
            failed += JudgeStreams.Run(Segmented, 300, i =>
            {
                var baseline = Arm(random, 700, 300, 0.2, 0.2);
                var candidate = Arm(random, 700, 300, 0.2 * 0.98, 0.2 * 0.98);
                return JudgeStreams.Look(i, baseline, candidate, weight: 0.5);
            }).Any(v => v.Sustained) ? 1 : 0;
        }

        Assert.InRange((double)failed / Seeds, 0, Alpha);
    }

    [Fact]
    public void Judge_StateThroughStoredJson_ContinuesTheSameSegmentTests()
    {
        var random = new Random(5);
        var looks = Enumerable.Range(0, 120).Select(i => Look(i, random, nightDrop: 0.3, nightShare: 0.2)).ToList();
        var state = GuardrailState.Initial;
        var roundTripped = GuardrailState.Initial;
        Verdict? direct = null, stored = null;
        foreach (var look in looks)
        {
            var judged = GuardrailJudge.Evaluate(Segmented, look, state);
            state = judged.State;
            direct = judged.Verdict;

            var again = GuardrailJudge.Evaluate(Segmented, look, roundTripped);
            var record = JudgeRecord.Read(new JudgeRecord(look.Now, [again.State], [VerdictRecord.From(again.Verdict)]).Write())!;
            roundTripped = record.States[0];
            stored = record.Verdicts[0].ToVerdict();
        }

        Assert.Equal(2, roundTripped.Segments.Length);
        Assert.Equal(state.Segments.Select(s => (s.Value, s.PValue, s.Strata.Single().Candidate)), roundTripped.Segments.Select(s => (s.Value, s.PValue, s.Strata.Single().Candidate)));
        Assert.Equal((direct!.Status, direct.Effect, direct.PValue, direct.Reason), (stored!.Status, stored.Effect, stored.PValue, stored.Reason));
        Assert.Equal(direct.Segments!.Segments.Select(s => (s.Segment, s.Status, s.PValue)), stored.Segments!.Segments.Select(s => (s.Segment, s.Status, s.PValue)));
    }

    [Fact]
    public void Judge_StateStoredBeforeSegmentsExisted_ReadsWithNoSegments()
    {
        var json = new JudgeRecord(JudgeStreams.Start, [GuardrailState.Initial], []).Write().Replace(",\"segments\":[]", "", StringComparison.Ordinal);

        var record = JudgeRecord.Read(json)!;

        Assert.DoesNotContain("segments", json, StringComparison.Ordinal);
        Assert.True(record.States[0].Segments.IsEmpty);
        var judged = GuardrailJudge.Evaluate(Segmented, Look(0, new Random(1), 0, 0.1), record.States[0]);
        Assert.Equal(["day", "night"], judged.State.Segments.Select(s => s.Value));
        Assert.Equal(2, judged.Verdict.Segments!.Segments.Count);
    }

    [Fact]
    public void Judge_MoreSegmentValuesThanFixedInAdvance_TestsOnlyTheFirstK()
    {
        var spec = Segmented with { SegmentCount = 1 };
        var random = new Random(3);

        var state = GuardrailJudge.Evaluate(spec, Look(0, random, 0, 0.5), GuardrailState.Initial).State;

        Assert.Equal(["day"], state.Segments.Select(s => s.Value));
    }

    private static List<Verdict> Run(GuardrailSpec spec, int seed, int looks, double nightDrop, double nightShare = 0.05)
    {
        var random = new Random(seed);
        return JudgeStreams.Run(spec, looks, i => Look(i, random, nightDrop, nightShare));
    }

    /// <summary>One 2-s look at a 50 % canary, 1,000 outcomes per arm, click-through 20 %; the candidate's night clicks lower by <paramref name="nightDrop"/>.</summary>
    private static Evaluation Look(int index, Random random, double nightDrop, double nightShare)
    {
        var night = (int)Math.Round(1000 * nightShare);
        var baseline = Arm(random, 1000 - night, night, 0.2, 0.2);
        var candidate = Arm(random, 1000 - night, night, 0.2, 0.2 * (1 - nightDrop));
        return JudgeStreams.Look(index, baseline, candidate, weight: 0.5);
    }

    private static ArmMeasurements Arm(Random random, int day, int night, double dayRate, double nightRate)
    {
        var dayClicks = Clicks(random, day, dayRate);
        var nightClicks = Clicks(random, night, nightRate);
        var segments = new Dictionary<string, ArmTally>(StringComparer.Ordinal)
        {
            ["day"] = new(day, dayClicks, dayClicks),
            ["night"] = new(night, nightClicks, nightClicks),
        };
        return new ArmMeasurements(day + night, 0, 0, [], dayClicks + nightClicks, dayClicks + nightClicks, day + night,
            KpiBySegment: new Dictionary<string, IReadOnlyDictionary<string, ArmTally>>(StringComparer.Ordinal) { [Dimension] = segments });
    }

    private static long Clicks(Random random, int n, double rate)
    {
        long clicks = 0;
        for (var i = 0; i < n; i++)
        {
            clicks += random.NextDouble() < rate ? 1 : 0;
        }

        return clicks;
    }
}
