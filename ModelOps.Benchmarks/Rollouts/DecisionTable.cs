using System.Globalization;
using System.Text;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>Formats the benchmark's results as markdown tables (printed, and pasted into docs/judge.md) and checks the targets.</summary>
internal static class DecisionTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(IReadOnlyList<RowResult> rows)
    {
        var text = new StringBuilder();
        var aa = rows.Where(r => r.Row.Kind == RowKind.AA).ToArray();
        text.AppendLine("A/A (identical candidate, every guardrail on, 30 min): false rollbacks");
        text.AppendLine();
        text.AppendLine("| row | canary | method | rollouts | rolled back | share | CP 95 % upper | judge's rollbacks by guardrail |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---|");
        foreach (var row in aa)
        {
            foreach (var method in row.Methods)
            {
                var x = row.RolledBack(method);
                var by = method == DecisionMethod.Judge
                    ? string.Join(", ", row.Outcomes.Where(o => o.JudgeRolledBackBy is not null).GroupBy(o => o.JudgeRolledBackBy).Select(g => $"{g.Key} {g.Count()}"))
                    : "";
                text.AppendLine(Invariant, $"| {row.Row.Name} | {Pct(row.Row.CanaryWeight)} | {method} | {row.Outcomes.Count} | {x} | {Pct((double)x / row.Outcomes.Count)} | {Pct(RowResult.UpperBound(x, row.Outcomes.Count))} | {by} |");
            }
        }

        text.AppendLine();
        text.AppendLine("Boundary (true effect exactly at the threshold, 20 % canary, 30 min, the judge on that guardrail alone)");
        text.AppendLine();
        text.AppendLine("| row | rollouts | α | first fail verdict | rolled back | share | CP 95 % upper | share ≤ α | upper ≤ α |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var row in rows.Where(r => r.Row.Kind == RowKind.Boundary))
        {
            var n = row.Outcomes.Count;
            var failed = row.Outcomes.Count(o => o.Methods[DecisionMethod.Judge].FirstFail is not null);
            var x = row.RolledBack(DecisionMethod.Judge);
            var upper = RowResult.UpperBound(x, n);
            text.AppendLine(Invariant, $"| {row.Row.Name} | {n} | {row.Alpha} | {failed} | {x} | {Pct((double)x / n)} | {Pct(upper)} | {Yes((double)x / n <= row.Alpha)} | {Yes(upper <= row.Alpha)} |");
        }

        text.AppendLine();
        text.AppendLine("Regressions (up to 2 h; times in s from the start of the rollout; \"—\" = beyond 2 h)");
        text.AppendLine();
        text.AppendLine("| row | canary | t* (s) | method | first fail median | p90 | rollback median | p90 | not caught | median fail ≤ max(1.5 t*, t*+4 s) |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows.Where(r => r.Row.Kind == RowKind.Regression))
        {
            foreach (var method in row.Methods)
            {
                var target = method == DecisionMethod.Judge ? Target(row) : "";
                text.AppendLine(Invariant, $"| {row.Row.Name} | {Pct(row.Row.CanaryWeight)} | {Seconds(row.Limit?.Seconds)} | {method} | {Seconds(row.Median(method, false))} | {Seconds(row.P90(method, false))} | {Seconds(row.Median(method, true))} | {Seconds(row.P90(method, true))} | {Pct(row.NotCaught(method))} | {target} |");
            }
        }

        text.AppendLine();
        text.AppendLine("Information limits: t* = (z0.99 + z0.8)² · (v_c/r_c + v_b/r_b) / (Δ − θ)², in the tested statistic's units");
        text.AppendLine();
        text.AppendLine("| row | canary | v_c | r_c (/s) | v_b | r_b (/s) | Δ − θ | t* (s) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows.Where(r => r.Row.Kind == RowKind.Regression && r.Limit is not null))
        {
            var l = row.Limit!; // filtered above
            text.AppendLine(Invariant, $"| {row.Row.Name} | {Pct(row.Row.CanaryWeight)} | {l.CandidateVariance:G4} | {l.CandidateRate:F2} | {l.BaselineVariance:G4} | {l.BaselineRate:F2} | {Math.Abs(l.Gap):G4} | {l.Seconds:F0}{(l.Seconds > 7200 ? " (censored: > 2 h)" : "")} |");
        }

        return text.ToString();
    }

    private static string Target(RowResult row)
    {
        if (row.Limit is not { } limit)
        {
            return "n/a";
        }

        if (limit.Seconds > 7200)
        {
            return "censored (t* > 2 h)";
        }

        var bound = Math.Max(1.5 * limit.Seconds, limit.Seconds + (2 * SimulatedWorld.EvaluationSeconds));
        var median = row.Median(DecisionMethod.Judge, false);
        return median is { } m && m <= bound ? $"yes (≤ {bound:F0})" : $"NO (> {bound:F0})";
    }

    private static string Pct(double share) => (share * 100).ToString(share < 0.1 && share > 0 ? "0.00" : "0.0", Invariant) + " %";

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("F0", Invariant) : "—";

    private static string Yes(bool value) => value ? "yes" : "NO";

    /// <summary>The target of issue 10's p95 +40 % at 5 % canary row: rolled back, sustain included, with median ≤ 120 s.</summary>
    public static string P95Target(IReadOnlyList<RowResult> rows)
    {
        var row = rows.FirstOrDefault(r => r.Row.Kind == RowKind.Regression && r.Row.Target == GuardrailMetric.LatencyP95 && r.Row.Shift.LatencyScale == 1.4 && r.Row.CanaryWeight == 0.05);
        var median = row?.Median(DecisionMethod.Judge, true);
        return $"p95 +40 % at 5 % canary, judge's median time to rollback: {Seconds(median)} s (target ≤ 120 s: {Yes(median <= 120)})";
    }
}
