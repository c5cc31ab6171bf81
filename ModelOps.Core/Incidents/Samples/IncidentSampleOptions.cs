using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Incidents.Samples;

/// <summary>The <c>ModelOps:Incidents</c> section: how many of the candidate's logged requests an incident keeps.</summary>
public sealed class IncidentSampleOptions
{
    public const string Section = "ModelOps:Incidents";

    [Range(0, 10_000)]
    public int SampleSize { get; set; } = 200;

    /// <summary>At most this share of the sample is failed (error or timeout) requests; the rest is drawn uniformly.</summary>
    [Range(0.0, 1.0)]
    public double SampleFailedShare { get; set; } = 0.5;

    /// <summary>Seeds the draw; unset, each incident seeds from its own id (stable, so a re-run picks the same rows).</summary>
    public int? SampleSeed { get; set; }
}
