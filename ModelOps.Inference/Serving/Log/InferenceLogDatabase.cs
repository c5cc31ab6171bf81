using System.Data.Common;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The inference log's own database as the writer, reader, retention and replay reach it: raw
/// ADO.NET over the connection string <c>InferenceLogDbContext</c> was configured with, the
/// context owning the schema. One implementation per provider
/// (<see cref="SqliteInferenceLogDatabase"/>, <see cref="PostgresInferenceLogDatabase"/>), chosen
/// once at registration; what differs between them is here: how a connection opens, how a batch
/// is inserted. Every query elsewhere is written once, in SQL both accept (identifiers quoted,
/// <c>@name</c> parameters).
/// </summary>
public abstract class InferenceLogDatabase
{
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A batch inserter for one consumer (not thread-safe: it reuses buffers across rows).</summary>
    internal abstract IInferenceLogRows CreateRows();

    /// <summary>
    /// <paramref name="text"/> as this database stores it, so a lookup finds what the writer wrote
    /// (PostgreSQL's text cannot hold NUL; SQLite stores any string as given).
    /// </summary>
    public virtual string Storable(string text) => text;
}
