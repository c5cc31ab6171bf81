using ModelOps.Core;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Where the in-process app keeps the inference log: in its own file (the default), or in the
/// main database as before the move — <c>ConnectionStrings:InferenceLog</c> set to exactly the main
/// database's default connection string (shared cache included), so both share one file and one
/// write lock as they did.
/// </summary>
public sealed record LogLayout(string Label, bool InMainDatabase)
{
    public static readonly LogLayout OwnFile = new("log in own file", false);

    public static readonly LogLayout MainDatabase = new("log in main db (old)", true);

    public IReadOnlyDictionary<string, string?> Settings(string dataDirectory) => InMainDatabase
        ? new Dictionary<string, string?> { ["ConnectionStrings:InferenceLog"] = $"Data Source={Path.Combine(dataDirectory, CoreServiceCollectionExtensions.DatabaseFile)};Pooling=True" }
        : new Dictionary<string, string?>();

    public string LogFile(string dataDirectory) =>
        Path.Combine(dataDirectory, InMainDatabase ? CoreServiceCollectionExtensions.DatabaseFile : CoreServiceCollectionExtensions.InferenceLogFile);
}
