using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

/// <summary>Seeded synthetic looks for judge tests: Bernoulli errors and log-normal latencies per arm, every 2 s.</summary>
internal static class JudgeStreams
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ArmMeasurements Arm(Random random, int requests, double errorRate, double latencyScale = 1, double kpiRate = 0.05)
    {
        long errors = 0, clicks = 0;
        var latencies = new double[Math.Min(requests, 128)];
        for (var i = 0; i < requests; i++)
        {
            errors += random.NextDouble() < errorRate ? 1 : 0;
            clicks += random.NextDouble() < kpiRate ? 1 : 0;
        }

        for (var i = 0; i < latencies.Length; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            latencies[i] = 40 * Math.Exp(0.5 * normal) * latencyScale;
        }

        return new ArmMeasurements(requests, errors, 0, latencies, clicks, clicks, requests);
    }

    public static Evaluation Look(int index, ArmMeasurements? baseline, ArmMeasurements candidate, double weight = 0.2) =>
        new(Start.AddSeconds(2 * (index + 1)), 0, weight, baseline, candidate, RolloutReferences.None);

    /// <summary>Runs a guardrail over <paramref name="looks"/> looks and returns every verdict.</summary>
    public static List<Verdict> Run(GuardrailSpec spec, int looks, Func<int, Evaluation> look)
    {
        var state = GuardrailState.Initial;
        var verdicts = new List<Verdict>(looks);
        for (var i = 0; i < looks; i++)
        {
            var judgement = GuardrailJudge.Evaluate(spec, look(i), state);
            state = judgement.State;
            verdicts.Add(judgement.Verdict);
        }

        return verdicts;
    }
}
