namespace ModelOps.Core.Serving.Metrics;

/// <summary>One raw input feature as a request carried it: a number, a category, or null (both unset).</summary>
public readonly record struct ObservedFeature(string Name, double? Numeric, string? Category)
{
    public bool IsNull => Numeric is null && Category is null;
}
