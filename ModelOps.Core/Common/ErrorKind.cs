namespace ModelOps.Core.Common;

/// <summary>The fixed set of expected failures; the web layer maps each to one HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or breaks a rule (400).</summary>
    Invalid,

    /// <summary>The named thing does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with stored state (409).</summary>
    Conflict,

    /// <summary>The caller is authenticated but may not do this (403).</summary>
    Forbidden,

    /// <summary>The payload exceeds a configured limit (413).</summary>
    TooLarge,

    /// <summary>The service cannot answer now (no warm version, an injected fault) (503).</summary>
    Unavailable,
}
