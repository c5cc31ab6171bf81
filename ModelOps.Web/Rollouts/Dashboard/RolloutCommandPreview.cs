using System.Globalization;
using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// What a command will do to a rollout, said before it is confirmed: the versions, the traffic now
/// and after, whether a reason is required (rollback and promote, as the service requires), and
/// whether the rollout's state allows it at all (<see cref="RolloutStateMachine"/>, the same rule
/// the service applies; <see cref="Unavailable"/> says why not).
/// </summary>
public sealed record RolloutCommandPreview(RolloutCommand Command, string Title, string Verb, IReadOnlyList<string> Effects, bool ReasonRequired, string? Unavailable)
{
    public static RolloutCommandPreview For(RolloutView rollout, RolloutCommand command)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var now = Traffic(rollout);
        var (b, c) = ($"v{rollout.BaselineVersion}", $"v{rollout.CandidateVersion}");
        var (title, verb, effects) = command switch
        {
            RolloutCommand.Rollback => ($"Roll back {rollout.Model} to {b}?", "Roll back",
                new[]
                {
                    $"All traffic of '{rollout.Model}' goes back to {b} (the rollback target); candidate {c} stops taking traffic.",
                    $"Traffic now: {now}. After: {b} 100 % (a staged rollback plan steps down first).",
                    "An incident opens with the evidence at the decision, and the rollback is audited under your name.",
                }),
            RolloutCommand.Pause => ($"Pause the rollout of {c}?", "Pause",
                [$"Traffic stays as it is: {now}.", "Steps stop advancing until someone resumes the rollout."]),
            RolloutCommand.Resume => ($"Resume the rollout of {c}?", "Resume",
                [$"Traffic stays {now} for now.", "Steps advance again once their bake time passes with every guardrail passing."]),
            RolloutCommand.Promote => ($"Promote {c} of {rollout.Model}?", "Promote",
                [$"The champion alias moves from {b} to {c}; all traffic goes to {c}.", $"Traffic now: {now}. After: {c} 100 %."]),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "The console offers rollback, pause, resume and promote."),
        };
        var decided = RolloutStateMachine.Decide(rollout.State, command);
        var unavailable = !decided.IsSuccess ? decided.Error.Detail : decided.Value.Changed ? null : decided.Value.Detail;
        return new(command, title, verb, effects, command is RolloutCommand.Rollback or RolloutCommand.Promote, unavailable);
    }

    /// <summary>The live split as "v2 95 % · v3 5 %", regions that differ after it.</summary>
    public static string Traffic(RolloutView rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Weights.Count == 0)
        {
            return "no live split (the rollout no longer owns traffic)";
        }

        var text = Weights(rollout.Weights);
        foreach (var (region, weights) in (rollout.RegionWeights ?? new Dictionary<string, IReadOnlyDictionary<string, double>>()).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text += $"; {region}: {Weights(weights)}";
        }

        return text;
    }

    private static string Weights(IReadOnlyDictionary<string, double> weights) =>
        string.Join(" · ", weights.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => string.Create(CultureInfo.InvariantCulture, $"v{w.Key} {w.Value:0.##} %")));
}
