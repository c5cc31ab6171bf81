using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Audit;

/// <summary>
/// Two replicas on one PostgreSQL database: each its own service provider (its own in-process
/// gate, its own connection pool), as two processes behind a load balancer would be. Always on
/// PostgreSQL, whichever provider the rest of the pass uses: this is the multi-replica rule.
/// </summary>
public sealed class AuditChainAcrossReplicasTests : IAsyncLifetime
{
    private const int RowsPerWriter = 40;
    private const int WritersPerReplica = 3;

    private string _connectionString = null!; // Set in InitializeAsync, before any test runs.
    private readonly List<(ServiceProvider Provider, string Directory)> _replicas = [];

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("audit");
        for (var i = 0; i < 2; i++)
        {
            _replicas.Add(Replica(_connectionString));
        }

        await using var scope = _replicas[0].Provider.CreateAsyncScope();
        await DatabaseUpgrade.RunAsync(
            scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>(),
            scope.ServiceProvider.GetRequiredService<Core.Serving.Log.InferenceLogDbContext>(),
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var (provider, directory) in _replicas)
        {
            await provider.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }

        await PostgresServer.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task Append_TwoReplicasConcurrently_OneUnforkedChainWithEveryRow()
    {
        var writers = _replicas.SelectMany((replica, r) => Enumerable.Range(0, WritersPerReplica)
            .Select(w => Task.Run(() => AppendAsync(replica.Provider, $"replica-{r}/writer-{w}"))));

        await Task.WhenAll(writers);

        await using var scope = _replicas[1].Provider.CreateAsyncScope();
        var verification = await scope.ServiceProvider.GetRequiredService<AuditIntegrity>().VerifyAsync(CancellationToken.None);
        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(2 * WritersPerReplica * RowsPerWriter, verification.Count);
        var rows = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>().AsNoTracking().ToListAsync();
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Seq).Order());
        Assert.All(
            rows.GroupBy(r => r.Actor),
            writer => Assert.Equal(Enumerable.Range(0, RowsPerWriter).Select(i => $"item:{i}"), writer.OrderBy(r => r.Seq).Select(r => r.Target)));
    }

    private static async Task AppendAsync(IServiceProvider provider, string actor)
    {
        for (var i = 0; i < RowsPerWriter; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>()
                .AppendAsync(new AuditRecord(actor, "test.append", $"item:{i}"), CancellationToken.None);
        }
    }

    private static (ServiceProvider, string) Replica(string connectionString)
    {
        var directory = Path.Combine(Path.GetTempPath(), "modelops-replicas", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = directory);
        services.Configure<DatabaseOptions>(o =>
        {
            o.Provider = DatabaseOptions.Postgres;
            o.ConnectionString = connectionString;
        });
        services.Configure<AuditCheckpointOptions>(_ => { });
        services.AddModelOpsCore();
        return (services.BuildServiceProvider(), directory);
    }
}
