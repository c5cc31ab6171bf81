using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// What a segmented KPI guardrail shows beside its decisive figures: the key it segments by, the
/// number k of segments its α was split over (fixed in advance), the segment that decided the
/// verdict (null when the pooled test or the limit did), the pooled threshold test and each
/// segment's own test, worst first.
/// </summary>
public sealed record SegmentedKpi(
    string SegmentBy,
    int SegmentCount,
    string? DecidedBy,
    SegmentFigures Pooled,
    IReadOnlyList<SegmentFigures> Segments);

/// <summary>One test of a segmented KPI: relative effect beyond the allowed drop, its always-valid interval, p-value and α.</summary>
public sealed record SegmentFigures(
    string Segment,
    [property: JsonConverter(typeof(VerdictStatusCamelCase))] VerdictStatus Status,
    double? Baseline,
    double? Candidate,
    double? Effect,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    double Alpha,
    SampleCounts Samples);

/// <summary>A segment's status as the contract spells verdicts (<c>pass</c>, <c>insufficientData</c>, …), whatever serializer options carry it.</summary>
public sealed class VerdictStatusCamelCase() : JsonStringEnumConverter<VerdictStatus>(JsonNamingPolicy.CamelCase);
