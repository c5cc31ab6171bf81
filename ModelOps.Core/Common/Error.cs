namespace ModelOps.Core.Common;

/// <summary>
/// An expected failure. <see cref="Detail"/> says what was wrong and how to fix it;
/// <see cref="Field"/> names the offending input when there is one; <see cref="Checks"/>
/// lists every failed check when several were evaluated (e.g. a preflight); <see cref="Offset"/>
/// is the byte offset in a request body where no field can be named (e.g. malformed JSON).
/// </summary>
public sealed record Error(ErrorKind Kind, string Detail, string? Field = null, IReadOnlyList<string>? Checks = null, long? Offset = null)
{
    public static Error Invalid(string field, string detail) => new(ErrorKind.Invalid, detail, field);

    public static Error NotFound(string detail) => new(ErrorKind.NotFound, detail);

    public static Error Conflict(string detail, IReadOnlyList<string>? checks = null) => new(ErrorKind.Conflict, detail, Checks: checks);

    public static Error Forbidden(string detail) => new(ErrorKind.Forbidden, detail);

    public static Error TooLarge(string field, string detail) => new(ErrorKind.TooLarge, detail, field);

    public static Error Unavailable(string detail) => new(ErrorKind.Unavailable, detail);
}
