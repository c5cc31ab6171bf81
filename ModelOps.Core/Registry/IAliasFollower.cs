namespace ModelOps.Core.Registry;

/// <summary>
/// Told after an alias move has committed. Serving implements it: it follows the
/// <c>champion</c> alias, which is what makes a rollback an alias move rather than a file copy.
/// </summary>
public interface IAliasFollower
{
    Task AliasMovedAsync(string model, string alias, int version, string actor, CancellationToken cancellationToken);
}
