using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;
using Npgsql;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// The judge's view on PostgreSQL: every replica's published buckets of [from, to), merged with
/// <see cref="ReplicaMeasurements.Merge"/> into what one process serving all their traffic would
/// have measured. <see cref="JudgeableBefore"/> caps a look at the seconds every live replica has
/// published (<see cref="ReplicaWatermarks"/>). What routing made live is still this process's
/// (<see cref="Live"/>): each replica follows the same generations within a second.
/// </summary>
public sealed partial class ClusterMeasurements(
    StoreMeasurements local, ServingMetricsStore store, IOptions<DatabaseOptions> database, IOptions<ClusterOptions> cluster,
    ReplicaJudging judging, ILogger<ClusterMeasurements> logger) : IRolloutMeasurements
{
    private readonly HashSet<(string Model, string Kind, string Dimension)> _announced = [];

    public ArmMeasurements Measure(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to, string? region = null)
    {
        using var connection = Open();
        using var read = new NpgsqlCommand($"""
            SELECT "InstanceId", "Requests", "Errors", "Timeouts", "Fallbacks", "KpiSum", "KpiSumSquares", "KpiCount", "LatencySamplesMs", "Segments", "ScoreBins", "Features"
            FROM "{ReplicaMetricsTables.Buckets}"
            WHERE "Model" = @model AND "Version" = @version AND "Arm" = @arm AND "Region" = @region AND "Second" >= @from AND "Second" < @to
            """, connection);
        read.Parameters.AddWithValue("model", model);
        read.Parameters.AddWithValue("version", version);
        read.Parameters.AddWithValue("arm", arm.ToWire());
        read.Parameters.AddWithValue("region", region ?? "");
        read.Parameters.AddWithValue("from", from.ToUnixTimeSeconds());
        read.Parameters.AddWithValue("to", to.ToUnixTimeSeconds());
        var replicas = new SortedDictionary<string, ReplicaSum>(StringComparer.Ordinal);
        var distributions = new DistributionSum(); // histograms add across replicas: no weighting needed
        using (var rows = read.ExecuteReader())
        {
            while (rows.Read())
            {
                var instance = rows.GetString(0);
                if (!replicas.TryGetValue(instance, out var sum))
                {
                    replicas[instance] = sum = new ReplicaSum();
                }

                sum.Add(rows);
                if (!rows.IsDBNull(10))
                {
                    distributions.AddScores(rows.GetFieldValue<long[]>(10));
                }

                if (!rows.IsDBNull(11))
                {
                    distributions.AddFeatures(rows.GetString(11));
                }
            }
        }

        var segmented = region is null && !store.Segments.Dimensions(model).IsEmpty;
        if (replicas.Count == 0)
        {
            return segmented ? ArmMeasurements.Empty with { KpiBySegment = new Dictionary<string, IReadOnlyDictionary<string, ArmTally>>() } : ArmMeasurements.Empty;
        }

        // What one process would have kept for these seconds; the seed makes a look reproducible.
        var capacity = (int)Math.Min(int.MaxValue, store.LatencySamplesPerBucket * Math.Max(1, (to - from).TotalSeconds));
        var seed = unchecked((int)from.ToUnixTimeSeconds() * 397 ^ version * 31 ^ (int)arm);
        var merged = distributions.Into(ReplicaMeasurements.Merge([.. replicas.Values.Select(r => r.ToMeasurements(segmented))], capacity, new Random(seed)));
        return segmented && merged.KpiBySegment is null ? merged with { KpiBySegment = new Dictionary<string, IReadOnlyDictionary<string, ArmTally>>() } : merged;
    }

    public DateTimeOffset JudgeableBefore(DateTimeOffset to)
    {
        using var connection = Open();
        using var read = new NpgsqlCommand($"""SELECT "InstanceId", "FlushedThrough", "CheckedInAt", now() FROM "{ReplicaMetricsTables.Watermarks}" """, connection);
        var watermarks = new List<ReplicaWatermark>();
        var now = DateTimeOffset.MinValue;
        using (var rows = read.ExecuteReader())
        {
            while (rows.Read())
            {
                watermarks.Add(new ReplicaWatermark(rows.GetString(0), rows.GetInt64(1), rows.GetFieldValue<DateTimeOffset>(2)));
                now = rows.GetFieldValue<DateTimeOffset>(3);
            }
        }

        var seconds = ReplicaWatermarks.Cap(to, watermarks, now, SilentAfter);
        if (judging.Record(seconds, now))
        {
            Log.SilentReplicas(logger, seconds.Silent.Count == 0 ? "none" : string.Join(", ", seconds.Silent), SilentAfter.TotalSeconds, string.Join(", ", seconds.Live));
        }

        return seconds.To;
    }

    /// <summary>How long a replica may go without publishing before the judge stops waiting for it.</summary>
    public TimeSpan SilentAfter => TimeSpan.FromSeconds(cluster.Value.MetricsSilentSeconds);

    public void TrackRegions(string model)
    {
        local.TrackRegions(model);
        Announce(model, ReplicaMetricsTables.RegionsKind, "");
    }

    public void TrackSegments(string model, string dimension)
    {
        local.TrackSegments(model, dimension);
        Announce(model, ReplicaMetricsTables.SegmentsKind, dimension);
    }

    /// <summary>The regions this process or any replica published within the horizon.</summary>
    public IReadOnlyList<string> Regions(string model)
    {
        using var connection = Open();
        using var read = new NpgsqlCommand($"""SELECT DISTINCT "Region" FROM "{ReplicaMetricsTables.Buckets}" WHERE "Model" = @model AND "Region" <> '' """, connection);
        read.Parameters.AddWithValue("model", model);
        var regions = new SortedSet<string>(local.Regions(model), StringComparer.Ordinal);
        using var rows = read.ExecuteReader();
        while (rows.Read())
        {
            regions.Add(rows.GetString(0));
        }

        return [.. regions];
    }

    public LiveSplit? Live(string model) => local.Live(model);

    /// <summary>Asks every replica (through the table their publishers read) to keep what the judge needs; once per process and kind.</summary>
    private void Announce(string model, string kind, string dimension)
    {
        lock (_announced)
        {
            if (_announced.Contains((model, kind, dimension)))
            {
                return;
            }
        }

        using var connection = Open();
        using var insert = new NpgsqlCommand($"""
            INSERT INTO "{ReplicaMetricsTables.Tracked}" ("Model", "Kind", "Dimension") VALUES (@model, @kind, @dimension) ON CONFLICT DO NOTHING
            """, connection);
        insert.Parameters.AddWithValue("model", model);
        insert.Parameters.AddWithValue("kind", kind);
        insert.Parameters.AddWithValue("dimension", dimension);
        insert.ExecuteNonQuery();
        lock (_announced)
        {
            _announced.Add((model, kind, dimension));
        }
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(database.Value.ConnectionString);
        connection.Open();
        return connection;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Judging across replicas: silent replicas left out: {Silent} (no flush for over {SilentSeconds} s; what they published before is still read); live: {Live}")]
        public static partial void SilentReplicas(ILogger logger, string silent, double silentSeconds, string live);
    }
}
