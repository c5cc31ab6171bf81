using System.Text.Json;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The evidence of a soft guardrail's approval: which guardrail (its index in the plan), on which
/// step, with the verdict that tripped it. A <c>continue</c> acknowledges that guardrail for the
/// rest of the step, so the same breach does not ask again; the next step judges it anew.
/// </summary>
public sealed record GuardrailEvidence(int Guardrail, string Metric, int Step, VerdictRecord Verdict)
{
    public static GuardrailEvidence? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<GuardrailEvidence>(json, JudgeRecord.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The evidence of a progress-deadline approval: per guardrail still short of data, what it has and still needs.</summary>
public sealed record DataShortfall(string Metric, Judging.SampleCounts Samples, Judging.SampleCounts? SamplesNeeded, double? EtaSeconds, string Reason);
