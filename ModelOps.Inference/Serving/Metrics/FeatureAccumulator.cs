namespace ModelOps.Inference.Serving.Metrics;

/// <summary>Null count, numeric bins (open-ended outer bins) and category counts of one feature in one bucket.</summary>
internal sealed class FeatureAccumulator(IReadOnlyList<double> edges)
{
    // An array, not the interface: binning runs for every numeric feature of every request.
    private readonly double[] _edges = [.. edges];

    public IReadOnlyList<double> Edges => _edges;

    public long Observations { get; private set; }

    public long Nulls { get; private set; }

    public long[] Bins { get; } = new long[Math.Max(0, edges.Count - 1)];

    public Dictionary<string, long> Categories { get; } = new(StringComparer.Ordinal);

    public void Record(double? numeric, string? category)
    {
        Observations++;
        if (numeric is { } value && Bins.Length > 0)
        {
            Bins[BinOf(value)]++;
        }
        else if (category is not null)
        {
            Categories[category] = Categories.GetValueOrDefault(category) + 1;
        }
        else if (numeric is null)
        {
            Nulls++;
        }
    }

    public void Reset()
    {
        Observations = Nulls = 0;
        Array.Clear(Bins);
        Categories.Clear();
    }

    /// <summary>The bin whose [lower, upper) holds the value; the outer bins are open-ended.</summary>
    private int BinOf(double value)
    {
        // First inner edge strictly greater than the value (inner edges are _edges[1.._edges.Length-2]).
        var low = 1;
        var high = _edges.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (value < _edges[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return Math.Min(low - 1, Bins.Length - 1);
    }
}
