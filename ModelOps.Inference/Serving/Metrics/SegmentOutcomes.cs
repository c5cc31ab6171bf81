using System.Collections.Concurrent;
using System.Collections.Immutable;
using ModelOps.Core.Divergence;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// KPI outcomes split by segment, for the dimensions a segmented KPI guardrail asked for
/// (<see cref="Track"/>): per (model, version, arm, dimension, value) a ring of one-second buckets of
/// count, sum and sum of squares, counted in the second the outcome arrived (as the pooled series).
/// While no model is tracked (the common case) a served request pays one volatile read; a model
/// nobody tracks while another is pays one dictionary lookup; neither pays anything per outcome.
/// </summary>
public sealed class SegmentOutcomes(int horizon, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ImmutableArray<string>> _dimensions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, int Version, Arm Arm, string Dimension, string Value), Ring> _rings = new();

    // Set once the first dimension is tracked, never cleared (tracking is kept for the process's life).
    private volatile bool _anyTracked;

    /// <summary>Keeps <paramref name="dimension"/>'s outcomes of <paramref name="model"/> from now on (idempotent).</summary>
    public void Track(string model, string dimension)
    {
        _dimensions.AddOrUpdate(model, _ => [dimension], (_, known) => known.Contains(dimension) ? known : known.Add(dimension));
        _anyTracked = true;
    }

    /// <summary>The dimensions kept for <paramref name="model"/> (empty when none).</summary>
    public ImmutableArray<string> Dimensions(string model) =>
        _anyTracked && _dimensions.TryGetValue(model, out var known) ? known : [];

    public void Record(string model, int version, Arm arm, IReadOnlyList<Segment> segments, double outcome)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var segment in segments)
        {
            var ring = _rings.GetOrAdd((model, version, arm, segment.Dimension, segment.Value), _ => new Ring(horizon));
            ring.Add(second, outcome);
        }
    }

    /// <summary>dimension → value → outcomes in [from, to) of one arm; null when the model keeps no segments.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, ArmTally>>? Query(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to)
    {
        if (Dimensions(model).IsEmpty)
        {
            return null;
        }

        var first = Math.Max(from.ToUnixTimeSeconds(), time.GetUtcNow().ToUnixTimeSeconds() - horizon + 1);
        var last = to.ToUnixTimeSeconds(); // exclusive
        var result = new Dictionary<string, Dictionary<string, ArmTally>>(StringComparer.Ordinal);
        foreach (var (key, ring) in _rings)
        {
            if (key.Model != model || key.Version != version || key.Arm != arm)
            {
                continue;
            }

            var tally = ring.Sum(first, last);
            if (tally.N == 0)
            {
                continue;
            }

            if (!result.TryGetValue(key.Dimension, out var values))
            {
                result[key.Dimension] = values = new Dictionary<string, ArmTally>(StringComparer.Ordinal);
            }

            values[key.Value] = tally;
        }

        return result.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, ArmTally>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Per (model, version, arm, second) of [<paramref name="first"/>, <paramref name="last"/>] (inclusive):
    /// dimension → value → tally, for publishing to the other replicas.
    /// </summary>
    public Dictionary<(string Model, int Version, Arm Arm, long Second), IReadOnlyDictionary<string, IReadOnlyDictionary<string, ArmTally>>> Buckets(long first, long last)
    {
        var result = new Dictionary<(string, int, Arm, long), IReadOnlyDictionary<string, IReadOnlyDictionary<string, ArmTally>>>();
        if (!_anyTracked)
        {
            return result;
        }

        var tallies = new Dictionary<(string, int, Arm, long), Dictionary<string, Dictionary<string, ArmTally>>>();
        foreach (var (key, ring) in _rings)
        {
            foreach (var (second, tally) in ring.Seconds(first, last))
            {
                var byDimension = Get(tallies, (key.Model, key.Version, key.Arm, second), () => new(StringComparer.Ordinal));
                Get(byDimension, key.Dimension, () => new(StringComparer.Ordinal))[key.Value] = tally;
            }
        }

        foreach (var (at, byDimension) in tallies)
        {
            result[at] = byDimension.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, ArmTally>)p.Value, StringComparer.Ordinal);
        }

        return result;

        static TValue Get<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key, Func<TValue> create)
            where TKey : notnull
        {
            if (!map.TryGetValue(key, out var value))
            {
                map[key] = value = create();
            }

            return value;
        }
    }

    private sealed class Ring(int horizon)
    {
        private readonly long[] _seconds = new long[horizon];
        private readonly ArmTally[] _tallies = new ArmTally[horizon];

        public void Add(long second, double outcome)
        {
            var index = (int)(second % _seconds.Length);
            lock (this)
            {
                if (_seconds[index] != second)
                {
                    (_seconds[index], _tallies[index]) = (second, default);
                }

                _tallies[index] = _tallies[index].Add(1, outcome, outcome * outcome);
            }
        }

        public List<(long Second, ArmTally Tally)> Seconds(long first, long last)
        {
            var result = new List<(long, ArmTally)>();
            lock (this)
            {
                for (var i = 0; i < _seconds.Length; i++)
                {
                    if (_seconds[i] >= first && _seconds[i] <= last && _tallies[i].N > 0)
                    {
                        result.Add((_seconds[i], _tallies[i]));
                    }
                }
            }

            return result;
        }

        public ArmTally Sum(long first, long last)
        {
            ArmTally sum = default;
            lock (this)
            {
                for (var i = 0; i < _seconds.Length; i++)
                {
                    if (_seconds[i] >= first && _seconds[i] < last && _tallies[i].N > 0)
                    {
                        sum = sum.Add(_tallies[i]);
                    }
                }
            }

            return sum;
        }
    }
}
