using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Web.Rollouts;

/// <summary>The default guardrails, ready to paste into a plan's <c>guardrails</c>.</summary>
public sealed record GuardrailTemplate(IReadOnlyList<GuardrailRequest> Guardrails);
