namespace ModelOps.Core.Divergence;

/// <summary>One slice of traffic a divergence is reported for, e.g. <c>region=eu</c> or <c>feature.hour=[2, 3)</c>.</summary>
public readonly record struct Segment(string Dimension, string Value)
{
    public const string Region = "region";
    public const string HourOfDay = "hourOfDay";

    /// <summary>The dimension of an encoder feature: <c>feature.&lt;name&gt;</c>.</summary>
    public static string Feature(string name) => $"feature.{name}";

    public override string ToString() => $"{Dimension}={Value}";
}
