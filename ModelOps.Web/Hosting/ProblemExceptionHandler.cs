using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ModelOps.Web.Hosting;

/// <summary>
/// Turns request failures (malformed JSON, text that is not UTF-8, wrong types, oversized bodies,
/// unknown charsets; see <see cref="RequestProblems"/>) into 4xx problem+json naming what failed.
/// A transaction the database ended because this replica stalled in it (<see cref="DatabaseProblems"/>)
/// is a 503 to retry. Everything else is a bug or an infrastructure fault and becomes a 500 without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = RequestProblems.From(exception);
        if (problem is null && DatabaseProblems.From(exception) is { } ended)
        {
            Log.TransactionEnded(logger, httpContext.Request.Path, exception.Message);
            problem = ended;
        }
        else if (problem is null)
        {
            Log.Unhandled(logger, exception, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred; it has been logged. Retry, and report it if it persists.",
                Title = "Unexpected error",
            };
        }
        else
        {
            Log.Refused(logger, httpContext.Request.Path, problem.Status ?? 0, exception.GetType().Name);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception serving {Path}")]
        public static partial void Unhandled(ILogger logger, Exception exception, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The database ended the transaction serving {Path} (this replica stalled in it past the idle-in-transaction timeout): {Reason}; answered 503, nothing committed")]
        public static partial void TransactionEnded(ILogger logger, string path, string reason);

        // Debug: a client's bad request is no fault of ours, and the payload is never logged.
        [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a request to {Path} with {Status} ({ExceptionType})")]
        public static partial void Refused(ILogger logger, string path, int status, string exceptionType);
    }
}
