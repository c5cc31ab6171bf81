using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Deletes inference log and feedback rows older than now − <see cref="InferenceLogOptions.RetentionHours"/>
/// every <see cref="InferenceLogOptions.RetentionSweepMinutes"/>. Deletes in chunks of
/// <see cref="ChunkRows"/>, each its own short transaction, so the log writer never waits long
/// for the log database's write lock.
/// </summary>
public sealed partial class InferenceLogRetention(
    InferenceLogDatabase database,
    IOptions<InferenceLogOptions> options,
    TimeProvider time,
    ILogger<InferenceLogRetention> logger) : BackgroundService
{
    /// <summary>About 5,000 rows with three indexes delete in tens of milliseconds.</summary>
    public const int ChunkRows = 5_000;

    private readonly TimeSpan _retention = TimeSpan.FromHours(options.Value.RetentionHours);
    private readonly TimeSpan _interval = TimeSpan.FromMinutes(options.Value.RetentionSweepMinutes);

    /// <summary>Deletes everything older than the retention window; returns rows deleted from both tables.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = StoredTime.ToStored(time.GetUtcNow() - _retention);
        await using var connection = await database.OpenAsync(cancellationToken);
        var log = await DeleteInChunksAsync(connection, "\"InferenceLog\"", "\"At\"", cutoff, cancellationToken);
        var feedback = await DeleteInChunksAsync(connection, "\"InferenceFeedback\"", "\"ReceivedAt\"", cutoff, cancellationToken);
        return log + feedback;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await SweepAsync(stoppingToken);
                Log.Swept(logger, deleted);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Not fatal to the host: old rows stay one interval longer and the next tick retries.
                Log.SweepFailed(logger, exception);
            }
        }
    }

    private static async Task<int> DeleteInChunksAsync(
        DbConnection connection, string table, string column, long cutoff, CancellationToken cancellationToken)
    {
        // Table and column names are constants of this class, never input.
        await using var command = LogCommand.Create(connection, $"""
            DELETE FROM {table} WHERE "Id" IN (SELECT "Id" FROM {table} WHERE {column} < @Cutoff LIMIT {ChunkRows})
            """).With("Cutoff", cutoff);
        var total = 0;
        int deleted;
        do
        {
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == ChunkRows);

        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Inference log retention sweep deleted {Deleted} rows")]
        public static partial void Swept(ILogger logger, int deleted);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Inference log retention sweep failed; retrying at the next interval")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
