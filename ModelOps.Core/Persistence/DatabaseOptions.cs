using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Persistence;

/// <summary>The <c>ModelOps:Database</c> section.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "ModelOps:Database";

    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>Postgres</c>.</summary>
    [Required]
    [RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "ModelOps:Database:Provider must be Sqlite or Postgres.")]
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// From <c>ConnectionStrings:ModelOps</c>; for SQLite, empty means a file under the data
    /// directory; PostgreSQL needs one (an Npgsql connection string).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// From <c>ConnectionStrings:InferenceLog</c>; empty means its own file under the data directory,
    /// so request logging never holds the main database's write lock.
    /// </summary>
    public string? InferenceLogConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "ModelOps:Database:Provider is Postgres but ConnectionStrings:ModelOps is empty; set it to an Npgsql connection string (Host=…;Database=…;Username=…;Password=…).",
                [nameof(ConnectionString)]);
        }
    }
}
