using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ModelOps.Web.Hosting;

/// <summary>
/// Recognises a request whose database session PostgreSQL ended before it committed because it
/// sat idle inside its transaction past <c>ModelOps:Database:IdleInTransactionTimeoutSeconds</c>:
/// this replica was stalled mid-change (a long GC pause, a stopped process, a frozen VM) and the
/// server released its locks so the other replicas could go on. Nothing of the change was
/// committed, so it is a 503 the caller may retry, not an unexplained 500.
/// </summary>
internal static class DatabaseProblems
{
    // idle_in_transaction_session_timeout (PostgreSQL's errcodes.txt; Npgsql's PostgresErrorCodes has no name for it).
    private const string IdleInTransactionSessionTimeout = "25P03";

    public static ProblemDetails? From(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: IdleInTransactionSessionTimeout })
            {
                return new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service unavailable",
                    Detail = "The database ended this request's transaction before it committed: this replica stalled mid-change for longer than "
                        + "ModelOps:Database:IdleInTransactionTimeoutSeconds, so PostgreSQL released its locks for the other replicas. "
                        + "Nothing was changed; retry the request.",
                };
            }
        }

        return null;
    }
}
