namespace ModelOps.Core.Divergence;

/// <summary>Quantiles of candidate score − baseline score, and their mean.</summary>
public sealed record DiffQuantiles(double P1, double P5, double P25, double P50, double P75, double P95, double P99, double Mean);
