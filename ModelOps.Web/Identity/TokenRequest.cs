namespace ModelOps.Web.Identity;

public sealed record TokenRequest(string? Username, string? Password);
