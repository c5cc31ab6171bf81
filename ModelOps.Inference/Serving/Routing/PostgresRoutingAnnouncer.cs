using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Routing;
using Npgsql;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// Announces a committed routing change on PostgreSQL's <see cref="Channel"/> (<c>pg_notify</c>),
/// which every replica LISTENs to (<see cref="PostgresRoutingListener"/>). A NOTIFY that fails is
/// logged, not retried and not the change's failure: the change is committed and live here, and the
/// other replicas' reconciliation reads it within <c>ModelOps:Cluster:RoutingReconcileSeconds</c>.
/// </summary>
public sealed partial class PostgresRoutingAnnouncer(IOptions<DatabaseOptions> database, ILogger<PostgresRoutingAnnouncer> logger) : IRoutingAnnouncer
{
    public const string Channel = "modelops_routing";

    public async Task AnnounceAsync(string model, long generation, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.Value.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", new RoutingAnnouncement(model, generation).ToPayload());
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            Log.NotAnnounced(logger, model, generation, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Routing generation {Generation} of {Model} is live here but was not announced; the other replicas pick it up at their next reconciliation")]
        public static partial void NotAnnounced(ILogger logger, string model, long generation, Exception exception);
    }
}
