namespace ModelOps.Core.Serving.Log;

/// <summary>
/// An outcome a client attached to a request id (e.g. 1 = click). Kept apart from the log row
/// so the log stays insert-only; the KPI of a version is the mean outcome of its requests.
/// </summary>
public sealed class InferenceFeedback
{
    public long Id { get; set; }

    public required string RequestId { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    public required string Arm { get; set; }

    public double Outcome { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
