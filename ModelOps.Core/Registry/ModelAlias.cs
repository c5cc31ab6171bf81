namespace ModelOps.Core.Registry;

public sealed class ModelAlias
{
    /// <summary>The alias serving follows and the default rollback target.</summary>
    public const string Champion = "champion";

    public required string Model { get; set; }

    public required string Alias { get; set; }

    public int Version { get; set; }
}
