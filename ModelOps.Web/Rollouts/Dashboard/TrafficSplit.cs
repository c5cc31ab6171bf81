namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>Where a region's traffic goes (<see cref="Region"/> null: every region without its own split), e.g. "v2 95 % · v3 5 %".</summary>
public sealed record TrafficSplit(string? Region, string Weights);
