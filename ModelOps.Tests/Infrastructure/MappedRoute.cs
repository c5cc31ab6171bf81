using Microsoft.AspNetCore.Http;

namespace ModelOps.Tests.Infrastructure;

/// <summary>One HTTP method of one route the app maps, with the endpoint's metadata (policies, accepted content types).</summary>
public sealed record MappedRoute(string Method, string Pattern, EndpointMetadataCollection Metadata);
