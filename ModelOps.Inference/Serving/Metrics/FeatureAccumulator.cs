namespace ModelOps.Inference.Serving.Metrics;

/// <summary>Null count, numeric bins (open-ended outer bins) and category counts of one feature in one bucket.</summary>
internal sealed class FeatureAccumulator(IReadOnlyList<double> edges)
{
    public IReadOnlyList<double> Edges { get; } = edges;

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

    private int BinOf(double value)
    {
        for (var i = 1; i < Edges.Count - 1; i++)
        {
            if (value < Edges[i])
            {
                return i - 1;
            }
        }

        return Bins.Length - 1;
    }
}
