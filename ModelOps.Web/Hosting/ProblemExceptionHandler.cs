using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ModelOps.Web.Hosting;

/// <summary>
/// Turns request-binding failures (malformed JSON, wrong types, oversized bodies) into 4xx
/// problem+json naming what failed. Everything else is a bug or an infrastructure fault and
/// becomes a 500 without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            detail = bad.InnerException is JsonException json
                ? $"{bad.Message} The JSON is malformed at '{json.Path ?? "$"}' (line {json.LineNumber}): {FirstSentence(json.Message)} Send a JSON body matching the API contract."
                : $"{bad.Message} Check the request against the API contract.";
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            detail = "An unexpected error occurred; it has been logged. Retry, and report it if it persists.";
            Log.Unhandled(logger, exception, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail, Title = status >= 500 ? "Unexpected error" : "Invalid request" },
        });
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception serving {Path}")]
        public static partial void Unhandled(ILogger logger, Exception exception, string path);
    }
}
