namespace ModelOps.Web.Hosting;

/// <summary>
/// Which requests a person's browser makes for a console page, as opposed to machine routes
/// (the API, the inference plane, metrics, downloads and form posts), which always answer errors as
/// problem+json. A console page that is not found or not allowed is answered by the console itself.
/// </summary>
public static class ConsolePaths
{
    private static readonly string[] MachinePrefixes = ["/api", "/v2", "/inference", "/metrics", "/account", "/console", "/_framework", "/_content", "/_blazor"];

    public static bool IsConsolePage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && !MachinePrefixes.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            && !Path.HasExtension(request.Path.Value); // A missing static file (/app.css) stays a plain 404.
    }
}
