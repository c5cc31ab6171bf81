using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Monitoring;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts.Monitoring;

/// <summary>The rollout side of a scrape, read from real SQLite rows as the engine stores them.</summary>
public sealed class RolloutMetricsQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly CommandCounter _commands = new();
    private MigratedDatabase _file = null!; // Set in InitializeAsync.

    public async Task InitializeAsync() => _file = await MigratedDatabase.CreateAsync();

    public async Task DisposeAsync() => await _file.DisposeAsync();

    [Fact]
    public async Task Read_ActiveAndEndedRollouts_StatesOfActiveAndOfThoseEndedWithinTheHourOnly()
    {
        var active = RolloutRows.Row("ctr", RolloutStates.Paused, Now.AddHours(-3));
        var endedRecently = RolloutRows.RolledBack("ctr", Now.AddMinutes(-59));
        var endedLongAgo = RolloutRows.Row("ctr", RolloutStates.Promoted, Now.AddHours(-5));
        endedLongAgo.EndedAt = Now.AddMinutes(-61);
        await SeedAsync(active, endedRecently, endedLongAgo);

        var metrics = await ReadAsync();

        Assert.Equal(
            new[] { (active.Id, "paused"), (endedRecently.Id, "rolledBack") }.Order(),
            metrics.States.Select(s => (s.RolloutId, s.State)).Order());
    }

    [Fact]
    public async Task Read_ActiveRolloutWithPersistedVerdicts_OneStatusPerGuardrailWithThePlansSeverity()
    {
        var plan = RolloutRows.Plan(
            "ctr",
            new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.3),
            new GuardrailSpec(GuardrailMetric.NullRate, Threshold: 0.01, Severity: GuardrailSeverity.Soft, Feature: "country"),
            new GuardrailSpec(GuardrailMetric.NullRate, Threshold: 0.01, Severity: GuardrailSeverity.Soft, Feature: "device"),
            GuardrailSpec.SampleRatio());
        var rollout = RolloutRows.Row("ctr", RolloutStates.Progressing, Now.AddMinutes(-10), plan);
        rollout.JudgeJson = RolloutRows.Judged(
            Now,
            (GuardrailMetric.LatencyP95, VerdictStatus.Fail),
            (GuardrailMetric.NullRate, VerdictStatus.Marginal),
            (GuardrailMetric.NullRate, VerdictStatus.InsufficientData),
            (GuardrailMetric.Srm, VerdictStatus.Pass));
        var ended = RolloutRows.RolledBack("ctr", Now.AddMinutes(-5));
        ended.JudgeJson = RolloutRows.Judged(Now, (GuardrailMetric.LatencyP95, VerdictStatus.Fail), (GuardrailMetric.Srm, VerdictStatus.Pass));
        await SeedAsync(rollout, ended);

        var metrics = await ReadAsync();

        Assert.Equal(
            [
                new GuardrailStatusSample(rollout.Id, "ctr", 1, "latency_p95", "hard", "fail", null),
                new GuardrailStatusSample(rollout.Id, "ctr", 2, "null_rate", "soft", "marginal", "country"),
                new GuardrailStatusSample(rollout.Id, "ctr", 3, "null_rate", "soft", "insufficientData", "device"),
                new GuardrailStatusSample(rollout.Id, "ctr", 4, "srm", "hard", "pass", null),
            ],
            metrics.Guardrails);
    }

    [Fact]
    public async Task Read_JudgeRecordOfAnotherLengthThanThePlan_NoGuardrailSeriesRatherThanMislabelledOnes()
    {
        var rollout = RolloutRows.Row("ctr", RolloutStates.Progressing, Now.AddMinutes(-10));
        rollout.JudgeJson = RolloutRows.Judged(Now, (GuardrailMetric.LatencyP95, VerdictStatus.Fail));
        await SeedAsync(rollout);

        var metrics = await ReadAsync();

        Assert.Empty(metrics.Guardrails);
        Assert.Single(metrics.States);
    }

    [Fact]
    public async Task Read_RollbacksOfSeveralTriggers_CountedByModelAndTriggerIgnoringOtherEndings()
    {
        var promoted = RolloutRows.Row("ctr", RolloutStates.Promoted, Now.AddDays(-1));
        promoted.EndedAt = Now.AddDays(-1);
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddDays(-40), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-2), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-1), "manual"),
            RolloutRows.RolledBack("ctr", Now.AddMinutes(-1), "approvalTimeout", RolloutStates.RollingBack),
            RolloutRows.RolledBack("churn", Now.AddDays(-3), trigger: null),
            promoted,
            RolloutRows.Row("churn", RolloutStates.Aborted, Now.AddDays(-2)));

        var metrics = await ReadAsync();

        Assert.Equal(
            [new("churn", "unknown", 1), new("ctr", "approvalTimeout", 1), new("ctr", "hard", 2), new("ctr", "manual", 1)],
            metrics.Rollbacks.OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Trigger, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Read_RestoreDurations_CumulativeBucketsSumAndCountOverRolledBackRollouts()
    {
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddDays(-2), "hard", decisionMs: 40, detectionMs: 12_000),
            RolloutRows.RolledBack("ctr", Now.AddDays(-1), "manual", decisionMs: 800, detectionMs: null),
            RolloutRows.RolledBack("churn", Now.AddHours(-1), "hard", decisionMs: 20_000, detectionMs: 45_000),
            RolloutRows.RolledBack("churn", Now.AddMinutes(-1), "hard", RolloutStates.RollingBack));

        var metrics = await ReadAsync();

        // Bounds: 0.05, 0.25, 1, 5, 15, 30, 60, 300, 900 s.
        Assert.Equal(new long[] { 1, 1, 2, 2, 2, 3, 3, 3, 3 }, metrics.DecisionToRestore.Buckets);
        Assert.Equal((3, 20.84), (metrics.DecisionToRestore.Count, Math.Round(metrics.DecisionToRestore.SumSeconds, 6)));
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 1, 2, 2, 2 }, metrics.DetectionToRestore.Buckets);
        Assert.Equal((2, 57.0), (metrics.DetectionToRestore.Count, metrics.DetectionToRestore.SumSeconds));
    }

    [Fact]
    public async Task Read_ThirdRollbackWithinThePeriod_FlagsOnlyThatModel()
    {
        await SeedAsync(
            RolloutRows.RolledBack("ctr", Now.AddHours(-23), "hard"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-5), "manual"),
            RolloutRows.RolledBack("ctr", Now.AddHours(-1), "hard"),
            RolloutRows.RolledBack("churn", Now.AddHours(-25), "hard"),
            RolloutRows.RolledBack("churn", Now.AddHours(-2), "hard"),
            RolloutRows.RolledBack("churn", Now.AddHours(-1), "hard"));

        var metrics = await ReadAsync();

        var flags = metrics.ChronicallyFailing.ToDictionary(m => m.Model, m => m.Flag);
        Assert.Null(flags["churn"]);
        Assert.Equal((3, 24, Now.AddHours(-23)), (flags["ctr"]!.Rollbacks, flags["ctr"]!.PeriodHours, flags["ctr"]!.Since));
    }

    [Fact]
    public async Task Read_HundredsOfRollouts_TwoQueriesWhateverTheirNumber()
    {
        var rows = Enumerable.Range(0, 300).Select(i => RolloutRows.RolledBack($"model-{i % 3}", Now.AddMinutes(-i * 7), i % 2 == 0 ? "hard" : "manual", decisionMs: i, detectionMs: i * 100)).ToArray();
        await SeedAsync(rows);

        var metrics = await ReadAsync();

        Assert.Equal(2, _commands.Count);
        Assert.Equal(300, metrics.Rollbacks.Sum(r => r.Count));
        Assert.Equal(6, metrics.Rollbacks.Count);
    }

    private async Task SeedAsync(params Rollout[] rollouts)
    {
        await using var db = _file.NewContext();
        db.AddRange(rollouts);
        await db.SaveChangesAsync();
    }

    private async Task<RolloutMetrics> ReadAsync()
    {
        await using var db = _file.NewContext(_commands);
        return await new RolloutMetricsQuery(db, Options.Create(new ChronicFailureOptions()), _time).ReadAsync(CancellationToken.None);
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
