using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Hosting;

/// <summary>
/// Applies migrations and seeds access before the server accepts requests, then runs the
/// startup tasks (demo data, warm-up) and marks the process ready.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceProvider services,
    IOptions<ModelOpsOptions> options,
    IEnumerable<IStartupTask> tasks,
    StartupState state,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Value.ResolveDataDirectory());
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                // Stored in the file: readers never block the single writer (ENVIRONMENT.md:
                // the connection-string keyword is rejected, the pragma works).
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            await scope.ServiceProvider.GetRequiredService<AccessSeeder>().SeedAsync(cancellationToken);
        }

        foreach (var task in tasks.OrderBy(t => t.Order))
        {
            await using var scope = services.CreateAsyncScope();
            await task.RunAsync(scope.ServiceProvider, cancellationToken);
        }

        state.MarkReady();
        Log.Ready(logger, options.Value.ResolveDataDirectory());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "ModelOps ready; data directory {DataDirectory}")]
        public static partial void Ready(ILogger logger, string dataDirectory);
    }
}
