namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// The persisted live routing table of one model, so traffic resumes on the same split after a
/// restart. <see cref="TableJson"/> is the table's wire form; one row per model.
/// </summary>
public sealed class RoutingTableRecord
{
    public required string Model { get; set; }

    public long Generation { get; set; }

    public required string TableJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}
