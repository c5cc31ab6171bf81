using BenchmarkDotNet.Running;
using ModelOps.Benchmarks.Audit;
using ModelOps.Benchmarks.Cluster;
using ModelOps.Benchmarks.Dashboards;
using ModelOps.Benchmarks.Incidents;
using ModelOps.Benchmarks.Rollouts;
using ModelOps.Benchmarks.Serving;

namespace ModelOps.Benchmarks;

public static class BenchmarkProgram
{
    /// <summary>
    /// <c>foundation</c> runs the measured harness (audit, chain verification, artifact memory);
    /// <c>serving</c> runs the five serving harnesses in sequence and prints one figures table
    /// (each alone: <c>serving-inprocess</c>, <c>serving-http</c>, <c>serving-swap</c>,
    /// <c>inference-log</c>, <c>serving-memory</c>);
    /// <c>audit-append --provider postgres|sqlite</c> measures audit appends/s with one and two replicas;
    /// <c>decisions</c> runs the guardrail judge's decision-quality simulation (docs/judge.md);
    /// <c>rollback-restore</c> measures decision → traffic restored (docs/rollback-restore.md);
    /// <c>replay-interference</c> measures serving p99 with and without an incident replay running;
    /// <c>inference-log-write [--connection CS] [--rows N] [--rounds R]</c> prints inference log rows/s on SQLite vs PostgreSQL;
    /// <c>replicas [N]</c> measures routing propagation between two replicas on PostgreSQL (N changes) and Quartz failover;
    /// <c>replica-flush [series] [seconds] [--features]</c> measures one replica publishing its metrics buckets to PostgreSQL (rows/s, wall time, CPU), with scores and feature histograms under --features;
    /// <c>dashboards [N] [--pin]</c> opens N (10) Chromium dashboards on an active rollout and prints server CPU, memory and rollback-to-screen times;
    /// anything else goes to BenchmarkDotNet (e.g. <c>--filter '*RouteSelector*'</c>).
    /// </summary>
    public static async Task Main(string[] args)
    {
        switch (args)
        {
            case [AuditAppendHarness.Command, .. var auditOptions]:
                await AuditAppendHarness.RunAsync(auditOptions);
                return;
            case ["foundation", ..]:
                await FoundationHarness.RunAsync();
                return;
            case ["decisions", .. var decisionOptions]:
                DecisionSuite.Run(decisionOptions);
                return;
            case [RollbackRestoreHarness.Command, .. var rollbackOptions]:
                await RollbackRestoreHarness.RunAsync(rollbackOptions);
                return;
            case [ReplayInterferenceHarness.Command, .. var replayOptions]:
                await ReplayInterferenceHarness.RunAsync(replayOptions);
                return;
            case [InferenceLogWriteHarness.Command, .. var logWriteOptions]:
                await InferenceLogWriteHarness.RunAsync(logWriteOptions);
                return;
            case [ReplicasHarness.Command, .. var replicaOptions]:
                await ReplicasHarness.RunAsync(replicaOptions);
                return;
            case [ReplicaFlushHarness.Command, .. var flushOptions]:
                await ReplicaFlushHarness.RunAsync(flushOptions);
                return;
            case [DashboardsHarness.Command, .. var dashboardOptions]:
                await DashboardsHarness.RunAsync(dashboardOptions);
                return;
            case ["serving", ..]:
                Environment.ExitCode = await ServingSuite.RunAllAsync();
                return;
            case [var command, .. var options] when ServingSuite.IsHarness(command):
                await ServingSuite.RunOneAsync(command, options);
                return;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                return;
        }
    }
}
