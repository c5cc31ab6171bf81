namespace ModelOps.Core.Serving.Routing;

/// <summary>The lowercase wire and storage names of <see cref="Arm"/>.</summary>
public static class ArmNames
{
    public static string ToWire(this Arm arm) => arm switch
    {
        Arm.Baseline => "baseline",
        Arm.Candidate => "candidate",
        _ => "shadow",
    };
}
