namespace ModelOps.Core.Serving.Routing;

/// <summary>The lowercase wire and storage names of <see cref="Arm"/> (API, inference log, metric labels).</summary>
public static class ArmNames
{
    public static string ToWire(this Arm arm) => arm switch
    {
        Arm.Baseline => "baseline",
        Arm.Candidate => "candidate",
        _ => "shadow",
    };

    /// <summary>Reads a stored name back; null for anything that is not one of the three.</summary>
    public static Arm? FromWire(string? name) => name switch
    {
        "baseline" => Arm.Baseline,
        "candidate" => Arm.Candidate,
        "shadow" => Arm.Shadow,
        _ => null,
    };
}
