using ModelOps.Core.Rollouts.Judging;
using Npgsql;

namespace ModelOps.Inference.Cluster;

/// <summary>One replica's published buckets of a window added up, as its own store would have (a fallback counts as an error).</summary>
internal sealed class ReplicaSum
{
    private readonly List<double> _samples = [];
    private readonly Dictionary<string, Dictionary<string, ArmTally>> _segments = new(StringComparer.Ordinal);
    private long _requests;
    private long _errors;
    private long _timeouts;
    private double _kpiSum;
    private double _kpiSumSquares;
    private long _kpiCount;

    /// <summary>Adds a row of (instance, requests, errors, timeouts, fallbacks, KPI sum, sum of squares, count, samples, segments).</summary>
    public void Add(NpgsqlDataReader row)
    {
        _requests += row.GetInt64(1);
        _errors += row.GetInt64(2) + row.GetInt64(4);
        _timeouts += row.GetInt64(3);
        _kpiSum += row.GetDouble(5);
        _kpiSumSquares += row.GetDouble(6);
        _kpiCount += row.GetInt64(7);
        _samples.AddRange(row.GetFieldValue<double[]>(8));
        if (row.IsDBNull(9))
        {
            return;
        }

        foreach (var (dimension, values) in SegmentJson.Read(row.GetString(9)))
        {
            if (!_segments.TryGetValue(dimension, out var sums))
            {
                _segments[dimension] = sums = new Dictionary<string, ArmTally>(StringComparer.Ordinal);
            }

            foreach (var (value, tally) in values)
            {
                sums[value] = sums.GetValueOrDefault(value).Add(tally);
            }
        }
    }

    public ArmMeasurements ToMeasurements(bool segmented) => new(
        _requests, _errors, _timeouts, _samples, _kpiSum, _kpiSumSquares, _kpiCount,
        KpiBySegment: segmented ? _segments.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, ArmTally>)p.Value, StringComparer.Ordinal) : null);
}
