using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// One simulated rollout: second-by-second buckets from <see cref="TrafficGenerator"/>, a look
/// every 2 s feeding the real judge (the full plan and the default template) with the
/// measurements since the previous look, and the comparators reading their sliding windows over
/// the same buckets. Stops at the horizon or once every method has decided.
/// </summary>
internal sealed class RolloutSimulation(Scenario scenario, IReadOnlyList<GuardrailSpec> plan, IReadOnlyList<GuardrailSpec> template, IReadOnlyList<GuardrailSpec> segmented)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Comparator guardrails: the full plan's thresholded, sampled ones (the comparators have no SRM or PSI test).</summary>
    private readonly (GuardrailMetric Metric, double Threshold)[] _compared = [.. plan
        .Where(g => g.Metric is GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 or GuardrailMetric.ErrorRate
            or GuardrailMetric.TimeoutRate or GuardrailMetric.Kpi or GuardrailMetric.NullRate)
        .Select(g => (g.Metric, g.Threshold ?? 0))];

    public RolloutOutcome Run(int seed)
    {
        var random = new Random(seed);
        var references = References(random);
        var generator = new TrafficGenerator(random, scenario.CanaryWeight, scenario.Shift, scenario.HorizonSeconds);
        var boundary = scenario.Kind == RowKind.Boundary;
        var judgePlan = boundary ? plan.Where(g => g.Metric == scenario.Target).ToArray() : plan;
        var judge = new JudgedPlan(judgePlan, scenario.Target);
        var templateJudge = boundary ? null : new JudgedPlan(template, scenario.Target);
        var segmentedJudge = boundary ? null : new JudgedPlan(segmented, scenario.Target);
        var trackers = new Dictionary<DecisionMethod, MethodTracker>
        {
            [DecisionMethod.Judge] = judge.Tracker,
        };
        if (templateJudge is not null)
        {
            trackers[DecisionMethod.Template] = templateJudge.Tracker;
            trackers[DecisionMethod.Segmented] = segmentedJudge!.Tracker;
            var compared = _compared.Any(c => c.Metric == scenario.Target);
            trackers[DecisionMethod.Naive] = new MethodTracker(compared);
            trackers[DecisionMethod.Argo] = new MethodTracker(compared);
            trackers[DecisionMethod.Kayenta] = new MethodTracker(compared);
        }

        var baseline = new[] { new SimulatedBucket(), new SimulatedBucket() };
        var candidate = new[] { new SimulatedBucket(), new SimulatedBucket() };
        var baselineWindows = new ArmWindows();
        var candidateWindows = new ArmWindows();
        var consecutive = new int[_compared.Length];
        for (var second = 1; second <= scenario.HorizonSeconds; second++)
        {
            generator.Next(second, baseline[second % 2], candidate[second % 2]);
            if (templateJudge is not null)
            {
                baselineWindows.Add(second, baseline[second % 2]);
                candidateWindows.Add(second, candidate[second % 2]);
            }

            if (second % SimulatedWorld.EvaluationSeconds != 0)
            {
                continue;
            }

            var evaluation = new Evaluation(Start.AddSeconds(second), 0, scenario.CanaryWeight,
                Measure(baseline), Measure(candidate), references);
            judge.Look(evaluation, second);
            templateJudge?.Look(evaluation, second);
            segmentedJudge?.Look(evaluation, second);
            if (templateJudge is not null)
            {
                Compare(second, trackers, baselineWindows, candidateWindows, consecutive);
            }

            if (trackers.Values.All(t => t.Done) || (boundary && judge.TargetSustained))
            {
                break;
            }
        }

        return new RolloutOutcome(trackers.ToDictionary(p => p.Key, p => p.Value.Result), judge.RolledBackBy);
    }

    private void Compare(int second, Dictionary<DecisionMethod, MethodTracker> trackers, ArmWindows baseline, ArmWindows candidate, int[] consecutive)
    {
        for (var i = 0; i < _compared.Length; i++)
        {
            var (metric, threshold) = _compared[i];
            var (naive, kayenta) = Comparators.Check(metric, threshold, baseline, candidate);
            consecutive[i] = naive ? consecutive[i] + 1 : 0;
            if (naive)
            {
                trackers[DecisionMethod.Naive].RollBack(second);
            }

            if (consecutive[i] >= 3)
            {
                trackers[DecisionMethod.Argo].RollBack(second);
            }

            if (kayenta)
            {
                trackers[DecisionMethod.Kayenta].RollBack(second);
            }

            if (metric == scenario.Target)
            {
                if (naive)
                {
                    trackers[DecisionMethod.Naive].Fail(second);
                    trackers[DecisionMethod.Argo].Fail(second);
                }

                if (kayenta)
                {
                    trackers[DecisionMethod.Kayenta].Fail(second);
                }
            }
        }
    }

    /// <summary>The two one-second buckets since the previous look, summed as the store's query would.</summary>
    private static ArmMeasurements Measure(SimulatedBucket[] seconds)
    {
        var latencies = new double[seconds[0].Kept + seconds[1].Kept];
        Array.Copy(seconds[0].Latencies, latencies, seconds[0].Kept);
        Array.Copy(seconds[1].Latencies, 0, latencies, seconds[0].Kept, seconds[1].Kept);
        var bins = new long[SimulatedWorld.Bins];
        var scores = new long[SimulatedWorld.Bins];
        for (var b = 0; b < bins.Length; b++)
        {
            bins[b] = seconds[0].FeatureBins[b] + seconds[1].FeatureBins[b];
            scores[b] = seconds[0].ScoreBins[b] + seconds[1].ScoreBins[b];
        }

        var kpi = seconds[0].KpiSum + seconds[1].KpiSum;
        var features = new Dictionary<string, FeatureCounts>(StringComparer.Ordinal)
        {
            [DecisionPlans.Feature] = new(seconds[0].FeatureObservations + seconds[1].FeatureObservations, seconds[0].FeatureNulls + seconds[1].FeatureNulls, bins),
        };
        return new ArmMeasurements(
            seconds[0].Requests + seconds[1].Requests,
            seconds[0].Errors + seconds[1].Errors,
            seconds[0].Timeouts + seconds[1].Timeouts,
            latencies,
            kpi,
            kpi, // 0/1 outcomes: the sum of squares is the sum
            seconds[0].KpiCount + seconds[1].KpiCount,
            features,
            scores,
            new Dictionary<string, IReadOnlyDictionary<string, ArmTally>>(StringComparer.Ordinal) { [SegmentDimension] = BySegment(seconds) });
    }

    private static readonly string SegmentDimension = "feature." + SimulatedWorld.SegmentFeature;
    private static readonly string[] SegmentNames = [.. Enumerable.Range(0, SimulatedWorld.Segments).Select(s => $"s{s}")];

    private static Dictionary<string, ArmTally> BySegment(SimulatedBucket[] seconds)
    {
        var tallies = new Dictionary<string, ArmTally>(SimulatedWorld.Segments, StringComparer.Ordinal);
        for (var s = 0; s < SimulatedWorld.Segments; s++)
        {
            var clicks = seconds[0].KpiSumBySegment[s] + seconds[1].KpiSumBySegment[s];
            tallies[SegmentNames[s]] = new ArmTally(seconds[0].KpiCountBySegment[s] + seconds[1].KpiCountBySegment[s], clicks, clicks);
        }

        return tallies;
    }

    /// <summary>The feature's pre-rollout reference (10,000 requests of the same world) and equal offline AUCs.</summary>
    private static RolloutReferences References(Random random)
    {
        var reference = new long[SimulatedWorld.Bins];
        for (var i = 0; i < 10_000; i++)
        {
            reference[random.Next(SimulatedWorld.Bins)]++;
        }

        return new RolloutReferences(
            new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal) { [DecisionPlans.Feature] = reference },
            new Dictionary<string, OfflineScores>(StringComparer.Ordinal) { [DecisionPlans.OfflineMetric] = new(0.75, 0.75) });
    }
}
