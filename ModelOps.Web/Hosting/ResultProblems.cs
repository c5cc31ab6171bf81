using ModelOps.Core.Common;

namespace ModelOps.Web.Hosting;

/// <summary>The one mapping from an expected failure to an RFC 9457 problem response.</summary>
public static class ResultProblems
{
    public static ProblemHttpResult ToProblem(this Error error)
    {
        var (status, title) = error.Kind switch
        {
            ErrorKind.Invalid => (StatusCodes.Status400BadRequest, "Invalid request"),
            ErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            ErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            ErrorKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden"),
            ErrorKind.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Payload too large"),
            ErrorKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Service unavailable"),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error"),
        };
        var extensions = new Dictionary<string, object?>();
        if (error.Field is not null)
        {
            extensions["field"] = error.Field;
        }

        if (error.Offset is { } offset)
        {
            extensions["offset"] = offset;
        }

        if (error.Checks is { Count: > 0 })
        {
            extensions["checks"] = error.Checks;
        }

        return TypedResults.Problem(error.Detail, statusCode: status, title: title, extensions: extensions);
    }
}
