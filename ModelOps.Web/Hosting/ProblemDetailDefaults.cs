namespace ModelOps.Web.Hosting;

/// <summary>
/// Fills the detail of problems the framework writes without one (status code pages: 404, 405,
/// and the 415 routing gives a body with the wrong Content-Type), so every error says what to fix.
/// </summary>
internal static class ProblemDetailDefaults
{
    public static void Fill(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var request = context.HttpContext.Request;
        var path = request.Path.Value is { Length: > 100 } full ? full[..100] + "…" : request.Path.Value;
        problem.Detail = (problem.Status ?? context.HttpContext.Response.StatusCode) switch
        {
            StatusCodes.Status404NotFound => $"No route matches {request.Method} {path}; check the path against the API contract.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {path}; check the API contract for the methods it takes.",
            StatusCodes.Status415UnsupportedMediaType => "This route takes a JSON body; send it with Content-Type: application/json.",
            StatusCodes.Status413PayloadTooLarge => "The body is larger than this server accepts; send a smaller one.",
            var status and >= 500 => $"The server failed with status {status}; retry, and report it if it persists.",
            var status => $"The request was refused with status {status}; check it against the API contract.",
        };
    }
}
