namespace ModelOps.Core.Registry;

public sealed class ModelAlias
{
    public required string Model { get; set; }

    public required string Alias { get; set; }

    public int Version { get; set; }
}
