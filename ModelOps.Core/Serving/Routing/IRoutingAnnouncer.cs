namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// Tells the other replicas that a model's routing table changed: called after the change
/// committed and went live here. One process on SQLite has no one to tell
/// (<see cref="SingleProcessRoutingAnnouncer"/>); on PostgreSQL it is a NOTIFY, and every replica's
/// periodic reconciliation by generation catches what a lost notification missed.
/// </summary>
public interface IRoutingAnnouncer
{
    Task AnnounceAsync(string model, long generation, CancellationToken cancellationToken);
}
