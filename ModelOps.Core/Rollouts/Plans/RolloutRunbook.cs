using System.Globalization;
using System.Text;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// The one-page runbook of a stored plan (<c>GET /api/rollouts/{id}/runbook</c>), as Markdown: who
/// and what, the steps, each guardrail in plain words and what happens when it trips, the progress
/// deadline, how a rollback runs and is verified, and the commands an operator types. Pure: the
/// same plan, id and base URL give the same text.
/// </summary>
public static class RolloutRunbook
{
    public static string Write(string rolloutId, RolloutPlan plan, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var md = new StringBuilder();
        Line(md, $"# Runbook: {Text(plan.Model)} v{plan.CandidateVersion} (rollout `{rolloutId}`)");
        Line(md);
        Line(md, "| | |");
        Line(md, "|---|---|");
        Line(md, $"| Model | {Cell(plan.Model)} |");
        Line(md, $"| Candidate | v{plan.CandidateVersion} |");
        Line(md, $"| Rollback target | v{plan.RollbackTarget}: all traffic returns here on a rollback |");
        Line(md, $"| Owner | {Cell(plan.Owner)}: page them first |");
        Line(md, $"| Strategy | {Strategy(plan)} |");
        Steps(md, plan);
        Guardrails(md, plan);
        Line(md);
        Line(md, "## Progress deadline");
        Line(md);
        Line(md, $"If a guardrail is still undecided (short of data, or marginal) {Duration(plan.ProgressDeadlineSeconds)} after the step went live (or after the last decision to keep waiting), " +
            $"an approval is raised saying what it still needs: an Approver decides `continue` (wait another {Duration(plan.ProgressDeadlineSeconds)}) or `revert`; " +
            $"undecided after {Duration(plan.ApprovalTimeoutSeconds)}, it reverts to v{plan.RollbackTarget} (trigger `approvalTimeout`).");
        Rollback(md, plan);
        Commands(md, rolloutId, plan, baseUrl.TrimEnd('/'));
        return md.ToString();
    }

    /// <summary>Seconds as "45 s", "5 min", "1 min 30 s", "2 h" or "1 h 30 min".</summary>
    internal static string Duration(int seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        var parts = new List<string>(3);
        if (span.Days * 24 + span.Hours > 0)
        {
            parts.Add($"{(span.Days * 24) + span.Hours} h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes} min");
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{span.Seconds} s");
        }

        return string.Join(' ', parts);
    }

    private static string Strategy(RolloutPlan plan) => plan.Strategy switch
    {
        RolloutStrategy.BlueGreen => "blue/green: all traffic flips to the candidate at once and is judged on limits after the flip",
        RolloutStrategy.Shadow => $"shadow: the candidate sees mirrored copies of {Number(plan.ShadowShare * 100)} % of requests and its answers are never returned, until advanced into the steps below",
        _ => "canary: weighted steps of live traffic, each baked and judged",
    };

    private static void Steps(StringBuilder md, RolloutPlan plan)
    {
        Line(md);
        Line(md, "## Steps");
        Line(md);
        Line(md, "| Step | Candidate traffic | Bake | Regions |");
        Line(md, "|---:|---:|---:|---|");
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var regions = step.Regions.Count == 0 ? "all" : Cell(string.Join(", ", step.Regions));
            Line(md, $"| {i + 1} | {Number(step.Weight)} % | {Duration(step.BakeSeconds)} | {regions} |");
        }

        Line(md);
        Line(md, $"A step advances once its bake time has passed with no guardrail failing or undecided; after the last, the candidate is promoted (`champion` moves to v{plan.CandidateVersion}).");
    }

    private static void Guardrails(StringBuilder md, RolloutPlan plan)
    {
        Line(md);
        Line(md, "## Guardrails");
        for (var i = 0; i < plan.Guardrails.Count; i++)
        {
            var spec = plan.Guardrails[i];
            var hard = spec.Severity == GuardrailSeverity.Hard;
            Line(md);
            Line(md, $"### {i + 1}. `{spec.Metric.ToWire()}`{(spec.Feature is { } f ? $" on `{f}`" : "")}: {(hard ? "hard" : "soft")}");
            Line(md);
            Line(md, $"- **Watches** {GuardrailWording.Measures(spec, plan.RollbackTarget)}.");
            Line(md, $"- **Allows** {GuardrailWording.Allows(spec)}.");
            Line(md, $"- **Judged** {GuardrailWording.Judged(spec)}.");
            Line(md, $"- **Trips** when a failure has held for {Duration(spec.SustainSeconds)}.");
            Line(md, hard
                ? $"- **Then** the rollout is rolled back to v{plan.RollbackTarget} automatically (trigger `hard`, actor `modelops-judge`); no one needs to act."
                : $"- **Then** the rollout pauses at its weight (`awaitingApproval`) with an approval: an Approver (not the operator who started it) decides `revert` (trigger `approvalRevert`) " +
                  $"or `continue` (this guardrail is let through for the current step) within {Duration(plan.ApprovalTimeoutSeconds)}; " +
                  $"with no decision by then the safe default applies: revert to v{plan.RollbackTarget} (trigger `approvalTimeout`).");
        }
    }

    private static void Rollback(StringBuilder md, RolloutPlan plan)
    {
        Line(md);
        Line(md, "## Rollback");
        Line(md);
        if (!plan.StagedRollback || plan.RollbackSteps.Count == 0)
        {
            Line(md, $"Instant: all traffic moves to v{plan.RollbackTarget} in one routing swap.");
        }
        else
        {
            Line(md, $"Staged: the candidate's traffic steps down, each step held before the next, until v{plan.RollbackTarget} serves everything.");
            Line(md);
            Line(md, "| Step | Candidate traffic | Hold |");
            Line(md, "|---:|---:|---:|");
            for (var i = 0; i < plan.RollbackSteps.Count; i++)
            {
                Line(md, $"| {i + 1} | {Number(plan.RollbackSteps[i].Weight)} % | {Duration(plan.RollbackSteps[i].HoldSeconds)} |");
            }
        }

        Line(md);
        Line(md, $"Verification: within {Duration(plan.VerificationSeconds)} of the restore, the incident records whether v{plan.RollbackTarget} recovered: "
            + "each guardrail that tripped (every hard one when none did) must hold on it, a limit in every 5 s bucket, a threshold against the baseline's values during the rollout; "
            + "too little traffic to tell counts as not recovered and escalates (`GET /api/incidents/{id}`, `verification`).");
    }

    private static void Commands(StringBuilder md, string id, RolloutPlan plan, string baseUrl)
    {
        const string Auth = "-H \"Authorization: Bearer $TOKEN\"";
        const string Json = "-H 'Content-Type: application/json'";
        var rollout = $"\"$MODELOPS/api/rollouts/{id}";
        Line(md);
        Line(md, "## Commands");
        Line(md);
        Line(md, "```bash");
        Line(md, $"export MODELOPS={baseUrl}");
        Line(md, "TOKEN=$(curl -s -X POST \"$MODELOPS/api/auth/token\" " + Json + " -d '{\"username\":\"<you>\",\"password\":\"<password>\"}' | jq -r .token)");
        Line(md, "# State, weights, latest verdicts and open approvals (any role)");
        Line(md, $"curl -s {rollout}\" {Auth}");
        Line(md, "# Roll back now (Operator; idempotent)");
        Line(md, $"curl -s -X POST {rollout}/rollback\" {Auth} {Json} -d '{{\"reason\":\"<why>\"}}'");
        Line(md, "# Pause and resume (Operator)");
        Line(md, $"curl -s -X POST {rollout}/pause\" {Auth} {Json} -d '{{\"reason\":\"<why>\"}}'");
        Line(md, $"curl -s -X POST {rollout}/resume\" {Auth} {Json} -d '{{\"reason\":\"<why>\"}}'");
        Line(md, $"# Promote now: champion moves to v{plan.CandidateVersion} (Operator)");
        Line(md, $"curl -s -X POST {rollout}/promote\" {Auth} {Json} -d '{{\"reason\":\"<why>\"}}'");
        if (plan.Strategy == RolloutStrategy.Shadow)
        {
            Line(md, "# Leave shadow for the first canary step (Operator)");
            Line(md, $"curl -s -X POST {rollout}/advance\" {Auth}");
        }

        Line(md, "# Decide an approval (Approver, not the operator who started the rollout); ids are under \"approvals\" above");
        Line(md, $"curl -s -X POST {rollout}/approvals/<approvalId>\" {Auth} {Json} -d '{{\"decision\":\"revert\",\"reason\":\"<why>\"}}'");
        Line(md, "# Flag logged predictions a spot check found wrong (Reviewer): raises an approval");
        Line(md, $"curl -s -X POST {rollout}/flags\" {Auth} {Json} -d '{{\"requestIds\":[\"<requestId>\"],\"note\":\"<what is wrong>\"}}'");
        Line(md, "```");
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Free text (model, owner) inside a table cell: a pipe would end the cell, a newline the row.</summary>
    private static string Cell(string text) => Text(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Text(string text) => text.ReplaceLineEndings(" ");

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
