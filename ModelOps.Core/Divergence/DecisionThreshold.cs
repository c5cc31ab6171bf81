namespace ModelOps.Core.Divergence;

/// <summary>
/// The score at or above which a version's answer counts as a positive decision (the demo shows an
/// ad), and where it came from: <c>registered</c> (the version's <c>decisionThreshold</c>) or
/// <c>default</c> (none was registered; <see cref="Default"/> applies and the report says so).
/// </summary>
public sealed record DecisionThreshold(double Value, string Source)
{
    /// <summary>The midpoint of a probability score: the usual cut when nothing better is known.</summary>
    public const double Default = 0.5;

    public const string Registered = "registered";
    public const string Fallback = "default";

    /// <summary>The first registered threshold among <paramref name="registered"/>, else <see cref="Default"/>.</summary>
    public static DecisionThreshold Of(params double?[] registered) =>
        registered.FirstOrDefault(t => t is not null) is { } value ? new(value, Registered) : new(Default, Fallback);
}
