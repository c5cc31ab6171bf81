namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// One value a KPI guardrail's <c>segmentBy</c> may take for a candidate (<see cref="SegmentCardinality.Choices"/>):
/// <see cref="Key"/> as sent, <see cref="Description"/> for people (the key, a dash, what its segments are). <see cref="TakesEdges"/>: <c>segmentEdges</c> may cut
/// its values (hourOfDay, a numeric feature); <see cref="NeedsEdges"/>: it has no buckets of its own, so edges are required.
/// </summary>
public sealed record SegmentChoice(string Key, string Description, bool TakesEdges, bool NeedsEdges);
