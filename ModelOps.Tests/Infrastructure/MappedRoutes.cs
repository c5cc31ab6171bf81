using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// The routes the app really maps, read from its <see cref="EndpointDataSource"/>, so tests that
/// sweep every endpoint (authorization, fuzzing) cover a route added later without being edited.
/// </summary>
public static partial class MappedRoutes
{
    /// <summary>One row per route and HTTP method, in the data source's order.</summary>
    public static IReadOnlyList<MappedRoute> All(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => new MappedRoute(method, "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/'), endpoint.Metadata)))];

    /// <summary>The pattern with each <c>{parameter}</c> (constraints included) replaced by its value, or "x" when none is given.</summary>
    public static string Concrete(string pattern, IReadOnlyDictionary<string, string> values) =>
        Parameter().Replace(pattern, match => values.GetValueOrDefault(match.Groups[1].Value, "x"));

    [GeneratedRegex(@"\{([A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();
}
