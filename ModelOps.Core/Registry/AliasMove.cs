namespace ModelOps.Core.Registry;

public sealed class AliasMove
{
    public long Id { get; set; }

    public required string Model { get; set; }

    public required string Alias { get; set; }

    public int Version { get; set; }

    public DateTimeOffset MovedAt { get; set; }

    public required string MovedBy { get; set; }

    public required string Reason { get; set; }
}
