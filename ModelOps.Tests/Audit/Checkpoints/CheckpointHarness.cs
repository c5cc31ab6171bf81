using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Audit.Checkpoints;

/// <summary>The real Core audit services over a migrated database (SQLite, or PostgreSQL in the second test pass) and a temp data directory.</summary>
public sealed class CheckpointHarness : IAsyncDisposable
{
    private readonly MigratedDatabase _database;

    private CheckpointHarness(MigratedDatabase database, string dataDirectory, ServiceProvider provider)
    {
        _database = database;
        DataDirectory = dataDirectory;
        Provider = provider;
    }

    public string DataDirectory { get; }

    public ServiceProvider Provider { get; }

    public IAuditCheckpointer Checkpointer => Provider.GetRequiredService<IAuditCheckpointer>();

    public CheckpointFile File => Provider.GetRequiredService<CheckpointFile>();

    public CheckpointSigner Signer => Provider.GetRequiredService<CheckpointSigner>();

    public static async Task<CheckpointHarness> CreateAsync(TimeProvider time)
    {
        var database = await MigratedDatabase.CreateAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "modelops-checkpoints", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time);
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = dataDirectory);
        database.Configure(services);
        services.Configure<AuditCheckpointOptions>(_ => { });
        services.AddModelOpsCore();
        return new CheckpointHarness(database, dataDirectory, services.BuildServiceProvider());
    }

    public async Task AppendAsync(int rows, string action = "test.append")
    {
        for (var i = 0; i < rows; i++)
        {
            await using var scope = Provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(new AuditRecord("operator", action, $"item:{i}"), CancellationToken.None);
        }
    }

    public async Task ExecuteSqlAsync(string sql)
    {
        await using var db = _database.NewContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    public async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditIntegrity>().VerifyAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
