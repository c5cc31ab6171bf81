using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// ModelOps replicas as real child processes (<see cref="WebAppProcess"/>) on one throwaway
/// PostgreSQL database, each with its own data directory (its inference log and journal), as
/// separate machines behind a load balancer would run. The first replica seeds the database; the
/// next ones start on it.
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    /// <summary>The two-replica test classes run one after the other: four app processes at once on two cores only measure the machine.</summary>
    public const string Collection = "Replicas";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(300);

    private readonly List<WebAppProcess> _replicas = [];

    private ReplicaSet(string database) => Database = database;

    public string Database { get; }

    /// <summary>The artifact folder every replica shares (as a network volume would be shared).</summary>
    public string Artifacts { get; } = Path.Combine(Path.GetTempPath(), "modelops-replicas", Guid.NewGuid().ToString("N"));

    public IReadOnlyList<WebAppProcess> Replicas => _replicas;

    public static async Task<ReplicaSet> CreateAsync() => new(await PostgresServer.CreateDatabaseAsync("replicas"));

    /// <summary>The settings of a replica named <paramref name="name"/> on <paramref name="database"/>.</summary>
    public static Dictionary<string, string?> Settings(string database, string name) => new()
    {
        ["ModelOps:Database:Provider"] = "Postgres",
        ["ConnectionStrings:ModelOps"] = database,
        ["ModelOps:Cluster:InstanceId"] = name,
        ["ModelOps:Cluster:CheckinIntervalSeconds"] = "1",
        ["ModelOps:Gates:IntervalSeconds"] = "1",
    };

    /// <param name="dataDirectory">The replica's own data directory (made by the caller, e.g. with a shared <c>keys</c> folder linked in); null for a fresh one the replica owns.</param>
    public async Task<WebAppProcess> StartAsync(string name, IReadOnlyDictionary<string, string?>? extra = null, string? dataDirectory = null)
    {
        var settings = Settings(Database, name);
        settings["ModelOps:Registry:ArtifactDirectory"] = Artifacts;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var replica = await WebAppProcess.StartAsync(StartTimeout, settings, dataDirectory);
        _replicas.Add(replica);
        return replica;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await PostgresServer.DropDatabaseAsync(Database);
        if (Directory.Exists(Artifacts))
        {
            Directory.Delete(Artifacts, recursive: true);
        }
    }
}
