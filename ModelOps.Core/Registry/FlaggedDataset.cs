namespace ModelOps.Core.Registry;

/// <summary>A training dataset hash flagged as corrupted: preflight refuses candidates trained on it.</summary>
public sealed class FlaggedDataset
{
    public required string Hash { get; set; }

    public required string Reason { get; set; }

    public required string FlaggedBy { get; set; }

    public DateTimeOffset FlaggedAt { get; set; }
}
