using System.Collections.Immutable;

namespace ModelOps.Inference.Serving.Chaos;

/// <summary>
/// The active faults, read on every inference request. Readers take one volatile read of an
/// immutable dictionary and never lock; writers build a new dictionary and swap it in with
/// compare-and-exchange, retrying if another writer got there first, so no update is lost and a
/// reader sees either the whole old board or the whole new one.
/// </summary>
public sealed class ChaosBoard
{
    private ImmutableDictionary<(string Model, int Version), ChaosFault> _faults = ImmutableDictionary<(string Model, int Version), ChaosFault>.Empty;

    /// <summary>The fault on a version, or null. Allocation-free: a value-tuple key and no copies.</summary>
    public ChaosFault? Find(string model, int version)
    {
        var faults = Volatile.Read(ref _faults);
        return !faults.IsEmpty && faults.TryGetValue((model, version), out var fault) ? fault : null;
    }

    /// <summary>Every active fault, ordered by model then version.</summary>
    public IReadOnlyList<ChaosFault> All() =>
        [.. Volatile.Read(ref _faults).Values.OrderBy(f => f.Model, StringComparer.Ordinal).ThenBy(f => f.Version)];

    /// <summary>Adds the fault, replacing any earlier fault on the same version.</summary>
    public void Set(ChaosFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var current = Volatile.Read(ref _faults);
        while (true)
        {
            var next = current.SetItem((fault.Model, fault.Version), fault);
            var seen = Interlocked.CompareExchange(ref _faults, next, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Removes every fault and returns those it removed.</summary>
    public IReadOnlyList<ChaosFault> ClearAll()
    {
        var removed = Interlocked.Exchange(ref _faults, ImmutableDictionary<(string Model, int Version), ChaosFault>.Empty);
        return [.. removed.Values];
    }

    /// <summary>
    /// Removes each listed fault if it is still the one active on its version; a fault set on the
    /// same version since the list was read stays. Lets a clear remove exactly what it audited.
    /// </summary>
    public void Remove(IReadOnlyCollection<ChaosFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var current = Volatile.Read(ref _faults);
        while (true)
        {
            var next = current;
            foreach (var fault in faults)
            {
                if (next.TryGetValue((fault.Model, fault.Version), out var active) && ReferenceEquals(active, fault))
                {
                    next = next.Remove((fault.Model, fault.Version));
                }
            }

            var seen = Interlocked.CompareExchange(ref _faults, next, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Whether a request fails by injection. <paramref name="uniformDraw"/> comes from the caller's
    /// seedable source in [0, 1), so a rate of 0 never fails, 1 always fails, and p fails a share p.
    /// </summary>
    public static bool DrawsError(ChaosFault fault, double uniformDraw)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return uniformDraw < fault.ErrorRate;
    }

    /// <summary>
    /// The outcome as the metrics should record it. A version's KPI is the mean of its outcomes,
    /// and the mean is linear, so scaling every outcome by the factor scales the KPI by exactly
    /// that factor: a 0.8 factor shows the guardrails the 20 % drop the operator asked for,
    /// whatever the real click rate is.
    /// </summary>
    public static double ApplyKpi(ChaosFault? fault, double outcome) => fault is null ? outcome : outcome * fault.KpiFactor;
}
