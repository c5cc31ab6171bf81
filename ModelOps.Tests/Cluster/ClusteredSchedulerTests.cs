using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Cluster;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Cluster;
using Npgsql;
using Quartz;

namespace ModelOps.Tests.Cluster;

/// <summary>Two real Quartz schedulers configured as the replicas configure theirs, on one throwaway PostgreSQL database.</summary>
public sealed class ClusteredSchedulerTests : IAsyncLifetime
{
    private readonly RunLog _runs = new();
    private readonly List<ServiceProvider> _replicas = [];
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync("quartz");

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await PostgresServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task Replicas_StartingTogetherOnAnEmptyDatabase_BothStartOnOneSchema()
    {
        await Task.WhenAll(StartAsync("replica-a"), StartAsync("replica-b"));

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var nodes = new NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = @name", connection);
        nodes.Parameters.AddWithValue("name", ClusteredScheduler.Name);
        Assert.Equal(2L, await nodes.ExecuteScalarAsync());
    }

    [Fact]
    public async Task DisallowConcurrentJob_FiredFasterThanItRuns_NeverRunsOnTwoReplicasAtOnce()
    {
        var schedulers = await Task.WhenAll(StartAsync("replica-a"), StartAsync("replica-b"));

        await schedulers[0].ScheduleJob(Look(), Every(TimeSpan.FromMilliseconds(50)));
        await _runs.WaitForAsync(r => r.Count >= 8, TimeSpan.FromSeconds(60));

        var runs = _runs.Snapshot().OrderBy(r => r.Started).ToList();
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.True(pair.Second.Started >= pair.First.Ended, $"{pair.Second.Instance} started before {pair.First.Instance} ended"));
    }

    [Fact]
    public async Task Job_ItsReplicaStops_RunsOnTheOther()
    {
        var first = await StartAsync("replica-a");
        await first.ScheduleJob(Look(), Every(TimeSpan.FromMilliseconds(200)));
        await _runs.WaitForAsync(r => r.Any(x => x.Instance == "replica-a"), TimeSpan.FromSeconds(30));
        await StartAsync("replica-b");

        await first.Shutdown(waitForJobsToComplete: false);
        var stopped = DateTimeOffset.UtcNow;

        // A run the other replica started after the first stopped: taken over, not merely shared before.
        await _runs.WaitForAsync(r => r.Any(x => x.Instance == "replica-b" && x.Started > stopped), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(_runs.Snapshot(), x => x.Instance == "replica-a" && x.Started > stopped);
    }

    private static IJobDetail Look() => JobBuilder.Create<SlowLook>().WithIdentity("rollout-r1", "rollouts").Build();

    private static ITrigger Every(TimeSpan interval) =>
        TriggerBuilder.Create().StartNow().WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()).Build();

    private async Task<IScheduler> StartAsync(string instance)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_runs);
        services.AddQuartz(quartz => ClusteredScheduler.Configure(quartz, new ReplicaIdentity(instance, true), _database, new ClusterOptions { CheckinIntervalSeconds = 1 }));
        var provider = services.BuildServiceProvider();
        _replicas.Add(provider);
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        return scheduler;
    }

    public sealed record Run(string Instance, DateTimeOffset Started, DateTimeOffset Ended);

    public sealed class RunLog
    {
        private readonly ConcurrentQueue<Run> _runs = new();

        public void Add(Run run) => _runs.Enqueue(run);

        public IReadOnlyList<Run> Snapshot() => [.. _runs];

        public async Task WaitForAsync(Func<IReadOnlyList<Run>, bool> condition, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (!condition(Snapshot()))
            {
                await Task.Delay(50, cancel.Token);
            }
        }
    }

    /// <summary>A look that takes longer than its trigger's interval, as a slow rollout evaluation does.</summary>
    [DisallowConcurrentExecution]
    public sealed class SlowLook(RunLog runs) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            await Task.Delay(150, cancellationToken);
            runs.Add(new Run(context.Scheduler.SchedulerInstanceId, started, DateTimeOffset.UtcNow));
        }
    }
}
