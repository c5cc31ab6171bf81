using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Routing;
using Npgsql;
using NpgsqlTypes;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// Publishes this replica's complete one-second buckets to PostgreSQL shortly after each second
/// ends (one binary COPY and one watermark upsert in one transaction, so the watermark never runs
/// ahead of the rows), for whichever replica runs a rollout's evaluation to judge all replicas'
/// traffic — with the second's feature histograms and served-score bins (null_rate, drift_psi, score_psi). Also picks up what the judge asked every replica to keep (per-region series, segments)
/// and prunes rows older than the store's horizon. A model's seconds served from a degraded-mode
/// override (<see cref="LocalRoutingOverride.Served"/>) are not published: they are published late,
/// after the database is back, and their candidate share of 0 % on this replica would read to the
/// judge as a sample-ratio mismatch. The judge sees none of this replica's traffic for them instead.
/// </summary>
public sealed partial class ReplicaMetricsPublisher(
    ServingMetricsStore store,
    ReplicaIdentity replica,
    IOptions<DatabaseOptions> database,
    LocalRoutingOverride overrides,
    TimeProvider time,
    ILogger<ReplicaMetricsPublisher> logger) : BackgroundService
{
    /// <summary>
    /// How far past a second's end it counts as complete: a request's bucket is chosen when it is
    /// recorded, a moment after its clock read, so a flush right at the turn could miss its last requests.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    private const int PruneEveryFlushes = 30;

    private const string Copy = $"""
        COPY "{ReplicaMetricsTables.Buckets}" ("InstanceId", "Second", "Model", "Version", "Arm", "Region", "Requests", "Errors", "Timeouts",
            "Fallbacks", "KpiSum", "KpiSumSquares", "KpiCount", "LatencySamplesMs", "Segments", "ScoreBins", "Features") FROM STDIN (FORMAT BINARY)
        """;

    private const string Checkin = $"""
        INSERT INTO "{ReplicaMetricsTables.Watermarks}" ("InstanceId", "FlushedThrough", "CheckedInAt") VALUES (@instance, @through, now())
        ON CONFLICT ("InstanceId") DO UPDATE SET "FlushedThrough" = GREATEST("{ReplicaMetricsTables.Watermarks}"."FlushedThrough", EXCLUDED."FlushedThrough"), "CheckedInAt" = now()
        """;

    // What the judge asked to track that this replica already follows: tracking is idempotent, but once is enough.
    private readonly HashSet<(string Model, string Kind, string Dimension)> _followed = [];
    private long? _flushedThrough;
    private int _flushes;

    /// <summary>Rows written by the flushes so far (the benchmark's figure).</summary>
    public long RowsPublished { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var nextTurn = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1) + Settle;
            await Task.Delay(nextTurn - now, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (the database, a broken connection), serving goes on and the next flush retries:
                // an exception leaving a hosted service would stop the host.
                Log.NotFlushed(logger, replica.InstanceId, _flushedThrough ?? 0, e);
            }
        }
    }

    /// <summary>Publishes every complete second not published yet; returns the rows written.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var complete = (time.GetUtcNow() - Settle).ToUnixTimeSeconds() - 1;
        await using var connection = new NpgsqlConnection(database.Value.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await FollowTrackingAsync(connection, cancellationToken).ConfigureAwait(false);
        // After a restart under the same instance id, the seconds the previous run published stay its own.
        var from = (_flushedThrough ?? await StoredWatermarkAsync(connection, cancellationToken).ConfigureAwait(false) ?? long.MinValue) + 1;
        var through = Math.Max(complete, from - 1);
        var buckets = from <= through ? store.Buckets(from, through) : [];
        var degraded = buckets.RemoveAll(b => overrides.Served(b.Key.Model, b.Second));
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            if (buckets.Count > 0)
            {
                await CopyAsync(connection, buckets, cancellationToken).ConfigureAwait(false);
            }

            await using var checkin = new NpgsqlCommand(Checkin, connection, transaction);
            checkin.Parameters.AddWithValue("instance", replica.InstanceId);
            checkin.Parameters.AddWithValue("through", through);
            await checkin.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _flushedThrough = through;
        overrides.Forget(through);
        RowsPublished += buckets.Count;
        if (degraded > 0)
        {
            Log.DegradedLeftOut(logger, degraded, from, through);
        }
        if (++_flushes % PruneEveryFlushes == 1)
        {
            await PruneAsync(connection, complete - store.HorizonSeconds, cancellationToken).ConfigureAwait(false);
        }

        return buckets.Count;
    }

    private async Task<long?> StoredWatermarkAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"""SELECT "FlushedThrough" FROM "{ReplicaMetricsTables.Watermarks}" WHERE "InstanceId" = @instance""", connection);
        read.Parameters.AddWithValue("instance", replica.InstanceId);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long stored ? stored : null;
    }

    private async Task FollowTrackingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"""SELECT "Model", "Kind", "Dimension" FROM "{ReplicaMetricsTables.Tracked}" """, connection);
        await using var rows = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (model, kind, dimension) = (rows.GetString(0), rows.GetString(1), rows.GetString(2));
            if (!_followed.Add((model, kind, dimension)))
            {
                continue;
            }

            if (kind == ReplicaMetricsTables.RegionsKind)
            {
                store.TrackRegions(model);
            }
            else
            {
                store.Segments.Track(model, dimension);
            }
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, List<ServingBucket> buckets, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(Copy, cancellationToken).ConfigureAwait(false);
        foreach (var bucket in buckets)
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(replica.InstanceId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Second, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Key.Model, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Key.Version, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Key.Arm.ToWire(), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Key.Region ?? "", NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Requests, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Errors, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Timeouts, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.Fallbacks, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.KpiSum, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.KpiSumSquares, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.KpiCount, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(bucket.LatencySamplesMs, NpgsqlDbType.Array | NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            if (bucket.Segments is { Count: > 0 } segments)
            {
                await copy.WriteAsync(SegmentJson.Write(segments), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }

            if (bucket.ScoreBins is { } scores)
            {
                await copy.WriteAsync(scores.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }

            if (DistributionSum.WriteFeatures(bucket.Features) is { } features)
            {
                await copy.WriteAsync(features, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PruneAsync(NpgsqlConnection connection, long oldest, CancellationToken cancellationToken)
    {
        await using var prune = new NpgsqlCommand($"""
            DELETE FROM "{ReplicaMetricsTables.Buckets}" WHERE "Second" < @oldest;
            DELETE FROM "{ReplicaMetricsTables.Watermarks}" WHERE "FlushedThrough" < @oldest
            """, connection);
        prune.Parameters.AddWithValue("oldest", oldest);
        await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Buckets} metric buckets of seconds {From}..{Through} served from a degraded-mode override were not published (rollouts judge them without this replica)")]
        public static partial void DegradedLeftOut(ILogger logger, int buckets, long from, long through);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {InstanceId} could not publish its serving metrics (published through second {FlushedThrough}); the next flush retries, and rollouts judge without this replica's newer seconds only after it counts as silent")]
        public static partial void NotFlushed(ILogger logger, string instanceId, long flushedThrough, Exception exception);
    }
}
