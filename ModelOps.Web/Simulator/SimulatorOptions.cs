using System.ComponentModel.DataAnnotations;

namespace ModelOps.Web.Simulator;

/// <summary>Section <c>ModelOps:Simulator</c>.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "ModelOps:Simulator";

    /// <summary>Null means "follow ModelOps:DemoMode".</summary>
    public bool? Enabled { get; set; }

    [Range(0, 5_000)]
    public double RequestsPerSecond { get; set; } = 100;

    /// <summary>Length of one simulated day in minutes, so night traffic comes round quickly; 0 follows the wall clock (UTC).</summary>
    [Range(0, 1_440)]
    public double DayLengthMinutes { get; set; } = 24;

    /// <summary>
    /// The simulated hour at start (fractions allowed), so a demo or a test can open in the day or at
    /// night without waiting for the simulated clock; ignored when the clock follows the wall clock.
    /// </summary>
    [Range(0, 23.999)]
    public double StartHour { get; set; }

    /// <summary>The ad is shown when the model's score reaches this; only shown ads get a click outcome.</summary>
    [Range(0, 1)]
    public double ShowThreshold { get; set; } = 0.12;

    /// <summary>Whether an ad with this score is shown (and so gets a click outcome).</summary>
    public bool Shows(double score) => score >= ShowThreshold;

    /// <summary>Fixes the traffic for a reproducible demo; null draws a fresh seed.</summary>
    public int? Seed { get; set; }

    public string Model { get; set; } = Core.Demo.DemoModelFamily.ModelName;
}
