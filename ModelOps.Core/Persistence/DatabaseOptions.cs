using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Persistence;

/// <summary>The <c>ModelOps:Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "ModelOps:Database";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>Postgres</c>.</summary>
    [Required]
    [RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "ModelOps:Database:Provider must be Sqlite or Postgres.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>From <c>ConnectionStrings:ModelOps</c>; empty means a file under the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// From <c>ConnectionStrings:InferenceLog</c>; empty means its own file under the data directory,
    /// so request logging never holds the main database's write lock.
    /// </summary>
    public string? InferenceLogConnectionString { get; set; }
}
