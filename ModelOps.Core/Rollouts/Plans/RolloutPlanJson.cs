using System.Text.Json;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>The stored form of a plan (<see cref="Rollout.PlanJson"/>), written and read in one place.</summary>
public static class RolloutPlanJson
{
    // Read-only after construction; System.Text.Json freezes options on first use.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(RolloutPlan plan) => JsonSerializer.Serialize(plan, Options);

    public static RolloutPlan? Read(string json) => JsonSerializer.Deserialize<RolloutPlan>(json, Options);
}
