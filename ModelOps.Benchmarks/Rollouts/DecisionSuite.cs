using System.Diagnostics;
using System.Globalization;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// <c>dotnet run -c Release --project ModelOps.Benchmarks -- decisions [--alpha 0.001] [--boundary-alpha 0.01] [--scale 1] [--rows text] [--docs docs]</c>:
/// the decision-quality benchmark of issue 10. Seeded and reproducible (rollout i of row k uses
/// seed 10_000·k + i whatever thread runs it), both cores used. Prints a table at the end and
/// writes the chart to docs/judge.png.
/// </summary>
public static class DecisionSuite
{
    private const int HalfHour = 1800;
    private const int TwoHours = 7200;

    public static void Run(string[] options)
    {
        var alpha = Option(options, "--alpha", GuardrailSpec.DefaultAlpha);

        // Boundary rows check "fail share ≤ α" with a Clopper-Pearson bound, which 1,000 rollouts
        // can show only for α ≳ 0.4 %: they run the same rule at 1 % (the plan's α is stricter still).
        var boundaryAlpha = Option(options, "--boundary-alpha", 0.01);
        var scale = Option(options, "--scale", 1.0);
        var docs = options.SkipWhile(o => o != "--docs").Skip(1).FirstOrDefault() ?? "docs";
        var plan = DecisionPlans.Full(alpha);
        var template = DecisionPlans.Template(alpha);
        var rows = Rows(scale);
        var only = options.SkipWhile(o => o != "--rows").Skip(1).FirstOrDefault();
        Console.WriteLine($"decisions: .NET {Environment.Version}, {Environment.ProcessorCount} cores, α = {alpha} per guardrail, {DecisionPlans.SampledHard(plan)} sampled hard guardrails in the full plan, scale {scale}");
        var watch = Stopwatch.StartNew();
        var results = new List<RowResult>();
        for (var k = 0; k < rows.Count; k++)
        {
            var row = rows[k];
            if (only is not null && !row.Name.Contains(only, StringComparison.Ordinal))
            {
                continue; // seeds stay tied to the row's place in the full list
            }

            var started = watch.Elapsed;
            var rowAlpha = row.Kind == RowKind.Boundary ? boundaryAlpha : alpha;
            var simulation = new RolloutSimulation(row, DecisionPlans.Full(rowAlpha), template, DecisionPlans.Segmented(rowAlpha));
            var outcomes = new RolloutOutcome[row.Rollouts];
            var seedBase = 10_000 * (k + 1);
            Parallel.For(0, row.Rollouts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                outcomes[i] = simulation.Run(seedBase + i));
            var result = new RowResult(row, outcomes, InformationLimit.Of(row, plan.FirstOrDefault(g => g.Metric == row.Target)), rowAlpha);
            results.Add(result);
            var judge = DecisionMethod.Judge;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Kind,-10} {row.Name,-28} {row.CanaryWeight * 100,3:F0} %  {row.Rollouts,5} rollouts  judge rolled back {result.RolledBack(judge),4}, median fail {result.Median(judge, false)?.ToString("F0", CultureInfo.InvariantCulture) ?? "—"} s{(result.Methods.Contains(DecisionMethod.Segmented) ? $", segmented KPI rolled back {result.RolledBack(DecisionMethod.Segmented)}" : "")}  ({(watch.Elapsed - started).TotalSeconds:F1} s)"));
        }

        var table = DecisionTable.Render(results);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine(DecisionTable.P95Target(results));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"family-wise bound (Bonferroni, Σα over the sampled hard guardrails): full plan {DecisionPlans.FamilyBound(plan):P2}, template {DecisionPlans.FamilyBound(template):P2} per rollout; the segmented plan's KPI spends the same α (α/2 pooled + {SimulatedWorld.Segments} × α/{2 * SimulatedWorld.Segments} per segment)"));
        Console.WriteLine(SegmentedSummary(results));
        var chart = Path.Combine(docs, "judge.png");
        if (results.Any(r => r.Row.Kind == RowKind.AA) && results.Any(r => r.Row.Kind == RowKind.Regression))
        {
            Directory.CreateDirectory(docs);
            DecisionChart.Save(results, chart);
        }
        else
        {
            chart = "none (needs A/A and regression rows)";
        }

        Console.WriteLine($"chart: {chart}; total {watch.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} cores");
    }

    /// <summary>The full plan with a pooled KPI (Judge) against the same plan with the KPI judged per segment, row by row.</summary>
    private static string SegmentedSummary(IReadOnlyList<RowResult> results)
    {
        var lines = new List<string> { "", "Pooled vs segmented KPI (the full plan either way; rollbacks by any hard guardrail; times in s, \"—\" = beyond the horizon)", "", "| row | canary | rollouts | pooled: rolled back | median | segmented: rolled back | median |", "|---|---:|---:|---:|---:|---:|---:|" };
        foreach (var row in results.Where(r => r.Methods.Contains(DecisionMethod.Segmented)))
        {
            string Share(DecisionMethod m) => string.Create(CultureInfo.InvariantCulture, $"{row.RolledBack(m)} ({(double)row.RolledBack(m) / row.Outcomes.Count:P1})");
            string Median(DecisionMethod m) => row.Median(m, true)?.ToString("F0", CultureInfo.InvariantCulture) ?? "—";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {row.Row.Name} | {row.Row.CanaryWeight:P0} | {row.Outcomes.Count} | {Share(DecisionMethod.Judge)} | {Median(DecisionMethod.Judge)} | {Share(DecisionMethod.Segmented)} | {Median(DecisionMethod.Segmented)} |"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Issue 10's rows; <paramref name="scale"/> shrinks the rollout counts for a quick look (1 = the full benchmark).</summary>
    public static IReadOnlyList<Scenario> Rows(double scale)
    {
        int Count(int n) => Math.Max(20, (int)(n * scale));
        var rows = new List<Scenario>
        {
            new("A/A", RowKind.AA, 0.05, CandidateShift.Identical, null, Count(1000), HalfHour),
            new("A/A", RowKind.AA, 0.20, CandidateShift.Identical, null, Count(1000), HalfHour),
            new("p95 at +20 %", RowKind.Boundary, 0.2, new CandidateShift(LatencyScale: 1.2), GuardrailMetric.LatencyP95, Count(1000), HalfHour),
            new("p99 at +20 %", RowKind.Boundary, 0.2, new CandidateShift(LatencyScale: 1.2), GuardrailMetric.LatencyP99, Count(1000), HalfHour),
            new("errors at +0.5 pp", RowKind.Boundary, 0.2, new CandidateShift(ErrorIncrease: 0.005), GuardrailMetric.ErrorRate, Count(1000), HalfHour),
            new("timeouts at +0.5 pp", RowKind.Boundary, 0.2, new CandidateShift(TimeoutIncrease: 0.005), GuardrailMetric.TimeoutRate, Count(1000), HalfHour),
            new("KPI at −2 %", RowKind.Boundary, 0.2, new CandidateShift(KpiFactor: 0.98), GuardrailMetric.Kpi, Count(1000), HalfHour),
            new("nulls at +1 pp", RowKind.Boundary, 0.2, new CandidateShift(NullIncrease: 0.01), GuardrailMetric.NullRate, Count(1000), HalfHour),
        };
        foreach (var weight in new[] { 0.05, 0.20 })
        {
            rows.Add(new("p95 +40 %", RowKind.Regression, weight, new CandidateShift(LatencyScale: 1.4), GuardrailMetric.LatencyP95, Count(200), TwoHours));
            rows.Add(new("p95 +80 %", RowKind.Regression, weight, new CandidateShift(LatencyScale: 1.8), GuardrailMetric.LatencyP95, Count(200), TwoHours));
            rows.Add(new("tail: 10 % ×3 (p99)", RowKind.Regression, weight, new CandidateShift(TailShare: 0.1, TailFactor: 3), GuardrailMetric.LatencyP99, Count(200), TwoHours));
            rows.Add(new("errors +1 pp", RowKind.Regression, weight, new CandidateShift(ErrorIncrease: 0.01), GuardrailMetric.ErrorRate, Count(200), TwoHours));
            rows.Add(new("KPI −10 %", RowKind.Regression, weight, new CandidateShift(KpiFactor: 0.9), GuardrailMetric.Kpi, Count(200), TwoHours));
            rows.Add(new("KPI −20 %", RowKind.Regression, weight, new CandidateShift(KpiFactor: 0.8), GuardrailMetric.Kpi, Count(200), TwoHours));
            rows.Add(new("SRM: 5 % fall back", RowKind.Regression, weight, new CandidateShift(FallbackShare: 0.05), GuardrailMetric.Srm, Count(200), TwoHours));
            rows.Add(new("KPI −40 % in 1 of 8 segments", RowKind.Regression, weight, new CandidateShift(KpiFactor: 0.6, KpiInOneSegment: true), GuardrailMetric.Kpi, Count(200), TwoHours));
        }

        return rows;
    }

    private static double Option(string[] options, string name, double fallback)
    {
        var value = options.SkipWhile(o => o != name).Skip(1).FirstOrDefault();
        return value is not null ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
    }
}
