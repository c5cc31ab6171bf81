using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Log;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Hosting;

/// <summary>
/// Applies migrations to the main and the inference log databases (<see cref="DatabaseUpgrade"/>)
/// and seeds access before the server accepts requests, then runs the startup tasks (demo data,
/// warm-up) and marks the process ready — all under <see cref="StartupLock"/>, so replicas started
/// at once on one PostgreSQL database go through it one after the other.
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
        await using var scope = services.CreateAsyncScope();

        // Replicas started at once on one PostgreSQL database take turns through the shared work.
        await using (await StartupLock.AcquireAsync(scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Database, cancellationToken))
        {
            var (records, feedback) = await DatabaseUpgrade.RunAsync(
                scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>(),
                scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>(),
                cancellationToken);
            if (records + feedback > 0)
            {
                Log.LegacyLogCopied(logger, records, feedback);
            }

            await scope.ServiceProvider.GetRequiredService<AccessSeeder>().SeedAsync(cancellationToken);
            foreach (var task in tasks.OrderBy(t => t.Order))
            {
                await using var taskScope = services.CreateAsyncScope();
                await task.RunAsync(taskScope.ServiceProvider, cancellationToken);
            }
        }

        state.MarkReady();
        Log.Ready(logger, options.Value.ResolveDataDirectory());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "ModelOps ready; data directory {DataDirectory}")]
        public static partial void Ready(ILogger logger, string dataDirectory);

        [LoggerMessage(Level = LogLevel.Information, Message = "Inference log moved to its own database: {Records} log and {Feedback} feedback rows copied from the main database")]
        public static partial void LegacyLogCopied(ILogger logger, long records, long feedback);
    }
}
