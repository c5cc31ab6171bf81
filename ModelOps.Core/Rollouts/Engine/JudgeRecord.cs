using System.Text.Json;
using System.Text.Json.Serialization;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// What the rollout stores at every evaluation (<see cref="Rollout.JudgeJson"/>): each guardrail's
/// sequential-test state, so a restart continues the same test, and its latest verdict as shown,
/// so the API, the console and an incident read the same numbers. <see cref="Regions"/> holds the
/// same per region for a rollout that opens regions on their own (null otherwise).
/// <see cref="DriftReference"/> holds, for a plan with drift_psi guardrails, each judged feature's
/// histogram on the rollback target's traffic before the rollout started — taken once, from the
/// metrics store, and kept here so a restart (whose store no longer holds those seconds) judges
/// drift against the same reference.
/// </summary>
public sealed record JudgeRecord(
    DateTimeOffset LastLook,
    IReadOnlyList<GuardrailState> States,
    IReadOnlyList<VerdictRecord> Verdicts,
    IReadOnlyList<RegionJudgement>? Regions = null,
    IReadOnlyDictionary<string, IReadOnlyList<long>>? DriftReference = null)
{
    /// <summary>Web defaults with enums as camelCase strings and NaN/∞ allowed: how verdicts are stored and shown.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new GuardrailMetricJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Write() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The stored record, or null when none was written yet (or it cannot be read: the test then starts afresh, which is valid, only slower).</summary>
    public static JudgeRecord? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<JudgeRecord>(json, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string WriteVerdicts(IEnumerable<Verdict> verdicts) => JsonSerializer.Serialize(verdicts.Select(VerdictRecord.From), JsonOptions);
}

/// <summary>
/// Every guardrail judged on one region's traffic alone (baseline and candidate of that region,
/// at the candidate's weight there), in plan order, with the candidate's weight the verdicts were
/// judged at: 0 while the region is not open (its verdicts are then not current).
/// </summary>
public sealed record RegionJudgement(string Region, double CandidateWeight, IReadOnlyList<GuardrailState> States, IReadOnlyList<VerdictRecord> Verdicts);

/// <summary>A <see cref="Verdict"/> with its reason rendered, as stored and shown (with a segmented KPI's pooled and per-segment tests).</summary>
public sealed record VerdictRecord(
    GuardrailMetric Metric,
    VerdictStatus Status,
    double? Baseline,
    double? Candidate,
    double? Threshold,
    double? Limit,
    double Alpha,
    double? Effect,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    DateTimeOffset? BreachedSince,
    SampleCounts Samples,
    SampleCounts? SamplesNeeded,
    double? EtaSeconds,
    bool Sustained,
    string Reason,
    SegmentedKpi? Segments = null)
{
    public static VerdictRecord From(Verdict v) => new(
        v.Metric, v.Status, v.Baseline, v.Candidate, v.Threshold, v.Limit, v.Alpha, v.Effect,
        v.Ci?.Low, v.Ci?.High, v.PValue, v.BreachedSince, v.Samples, v.SamplesNeeded, v.EtaSeconds, v.Sustained, v.Reason, v.Segments);

    public Verdict ToVerdict()
    {
        var reason = Reason;
        return new(Metric, Status, Baseline, Candidate, Threshold, Limit, Alpha, Effect,
            CiLow is { } low && CiHigh is { } high ? (low, high) : null,
            PValue, BreachedSince, Samples, SamplesNeeded, EtaSeconds, Sustained, () => reason, Segments);
    }
}
