namespace ModelOps.Core.Registry;

public sealed class RegisteredModel
{
    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}
