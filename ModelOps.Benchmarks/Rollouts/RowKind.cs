namespace ModelOps.Benchmarks.Rollouts;

/// <summary>The three kinds of benchmark rows.</summary>
public enum RowKind
{
    AA,
    Boundary,
    Regression,
}
