namespace ModelOps.Core.Cluster;

/// <summary>
/// A replica's last word from the database: whether its latest probe got through, and when one last
/// did (the start of the process before the first). An outage is measured from <see cref="LastReachedAt"/>.
/// </summary>
public sealed record DatabaseContact(bool Reachable, DateTimeOffset LastReachedAt)
{
    /// <summary>How long the database has been out of reach at <paramref name="now"/> (zero while reachable).</summary>
    public TimeSpan UnreachableFor(DateTimeOffset now) => Reachable || now <= LastReachedAt ? TimeSpan.Zero : now - LastReachedAt;
}
