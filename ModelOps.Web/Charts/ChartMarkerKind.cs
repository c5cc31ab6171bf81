namespace ModelOps.Web.Charts;

/// <summary>What a marker stands for; each kind has its own colour and line pattern (and its label says it in words).</summary>
public enum ChartMarkerKind
{
    Step,
    Trigger,
    Rollback,

    /// <summary>What x = 0 of an incident or approval chart is (the rollback decision, the trigger); named in the legend.</summary>
    Origin,
}
