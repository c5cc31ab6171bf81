using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>
/// The warm sessions of this process, one per (model, version). A version is loaded once
/// (concurrent callers share the load), stays while it is wanted (routable or last-known-good),
/// and is retired <see cref="SessionPoolOptions.RetireGraceSeconds"/> after it stopped being
/// wanted; retirement disposes the native session only once no request holds it.
/// </summary>
public sealed partial class SessionPool(
    ServableVersionLoader loader,
    ServingMetricsStore metrics,
    IOptions<SessionPoolOptions> options,
    TimeProvider time,
    IEnumerable<IRetiredVersionSink> retirements,
    ILogger<SessionPool> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, int Version), Entry> _entries = new();
    private readonly ConcurrentDictionary<string, IReadOnlySet<int>> _wanted = new(StringComparer.Ordinal);

    /// <summary>Loads and warms the version unless it is already; failures are not cached, so a later call retries.</summary>
    public async Task<Result<WarmSession>> EnsureWarmAsync(string model, int version, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _entries.GetOrAdd((model, version), key => new Entry(new Lazy<Task<Result<WarmSession>>>(() => LoadAsync(key.Model, key.Version))));
            var loaded = await entry.Load.Value.WaitAsync(cancellationToken);
            if (!loaded.IsSuccess)
            {
                _entries.TryRemove(new KeyValuePair<(string, int), Entry>((model, version), entry));
                return loaded.Error;
            }

            if (!loaded.Value.IsDisposed)
            {
                entry.RetireAt = null;
                return loaded.Value;
            }

            // Retired between lookup and use: drop the stale entry and load afresh.
            _entries.TryRemove(new KeyValuePair<(string, int), Entry>((model, version), entry));
        }
    }

    /// <summary>The warm, healthy session of a version, or null (not loaded, still loading, unhealthy, retired).</summary>
    public WarmSession? FindHealthy(string model, int version) =>
        _entries.TryGetValue((model, version), out var entry) && entry.Session is { Health: SessionHealth.Healthy } session
            ? session
            : null;

    /// <summary>The versions <paramref name="table"/> can route to that have no healthy warm session (empty = ready).</summary>
    public IReadOnlyList<int> ColdVersions(RoutingTable table) =>
        [.. table.RoutableVersions.Where(version => FindHealthy(table.Model, version) is null)];

    /// <summary>
    /// Declares which versions of <paramref name="model"/> must stay warm; every other loaded
    /// version of it starts its retirement grace period now.
    /// </summary>
    public void Want(string model, IReadOnlySet<int> versions)
    {
        _wanted[model] = versions;
        foreach (var ((entryModel, version), entry) in _entries)
        {
            if (entryModel == model && versions.Contains(version))
            {
                entry.RetireAt = null;
            }
        }

        ReleaseUnwanted(model);
    }

    /// <summary>
    /// Starts the grace period of every loaded version of <paramref name="model"/> that the last
    /// <see cref="Want"/> did not name — e.g. one warmed for a routing change that was then refused.
    /// </summary>
    public void ReleaseUnwanted(string model)
    {
        var wanted = _wanted.GetValueOrDefault(model);
        var retireAt = time.GetUtcNow().AddSeconds(options.Value.RetireGraceSeconds);
        foreach (var ((entryModel, version), entry) in _entries)
        {
            if (entryModel == model && wanted?.Contains(version) != true)
            {
                entry.RetireAt ??= retireAt;
            }
        }
    }

    /// <summary>Retires every version whose grace period is over; returns how many.</summary>
    public int RetireExpired()
    {
        var now = time.GetUtcNow();
        var retired = 0;
        foreach (var (key, entry) in _entries)
        {
            if (entry.RetireAt is { } at && at <= now && _entries.TryRemove(new KeyValuePair<(string, int), Entry>(key, entry)))
            {
                entry.Session?.Retire();

                retired++;
                Log.Retired(logger, key.Model, key.Version);
            }
        }

        return retired;
    }

    /// <summary>Runs the golden input through every loaded session.</summary>
    public void CheckHealth()
    {
        var now = time.GetUtcNow();
        foreach (var session in Loaded())
        {
            var result = session.Check(now);
            if (!result.IsSuccess)
            {
                Log.Unhealthy(logger, session.Version.Model, session.Version.Version, result.Error.Detail);
            }
        }
    }

    public IReadOnlyList<SessionState> States() =>
    [
        .. _entries
            .Where(p => p.Value.Session is not null)
            .Select(p =>
            {
                var s = p.Value.Session!; // filtered just above
                var wanted = _wanted.TryGetValue(p.Key.Model, out var set) && set.Contains(p.Key.Version);
                return new SessionState(s.Version.Model, s.Version.Version, s.Version.Digest, s.Version.EncoderRef, s.Health, s.LastHealthProblem, s.LoadedAt, s.LastCheckedAt, s.ActiveLeases, wanted, p.Value.RetireAt);
            })
            .OrderBy(s => s.Model, StringComparer.Ordinal)
            .ThenBy(s => s.Version),
    ];

    public void Dispose()
    {
        foreach (var session in Loaded())
        {
            session.Retire();
        }

        _entries.Clear();
    }

    private void Disposed(ServableVersion version)
    {
        foreach (var sink in retirements)
        {
            sink.Retired(version);
        }
    }

    private IEnumerable<WarmSession> Loaded() =>
        _entries.Values.Select(e => e.Session).OfType<WarmSession>();

    private async Task<Result<WarmSession>> LoadAsync(string model, int version)
    {
        // Not the caller's token: the load is shared by every waiter, and one caller giving up must not fail the others.
        var servable = await loader.LoadAsync(model, version, CancellationToken.None);
        if (!servable.IsSuccess)
        {
            return servable.Error;
        }

        var loaded = await Task.Run(() => WarmSession.Load(servable.Value, time.GetUtcNow()));
        if (loaded.IsSuccess)
        {
            loaded.Value.WhenDisposed(Disposed);
            foreach (var (feature, edges) in servable.Value.Encoder is { } encoder ? FeatureBins.From(encoder.Spec) : [])
            {
                metrics.TryRegisterFeatureBins(model, feature, edges);
            }

            Log.Loaded(logger, model, version);
        }
        else
        {
            Log.LoadFailed(logger, model, version, loaded.Error.Detail);
        }

        return loaded;
    }

    private sealed class Entry(Lazy<Task<Result<WarmSession>>> load)
    {
        public Lazy<Task<Result<WarmSession>>> Load { get; } = load;

        public DateTimeOffset? RetireAt { get; set; }

        /// <summary>The loaded session, or null while loading or after a failed load.</summary>
        public WarmSession? Session =>
            Load.IsValueCreated && Load.Value.IsCompletedSuccessfully && Load.Value.Result.IsSuccess ? Load.Value.Result.Value : null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Loaded and warmed {Model} v{Version}")]
        public static partial void Loaded(ILogger logger, string model, int version);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load {Model} v{Version}: {Problem}")]
        public static partial void LoadFailed(ILogger logger, string model, int version, string problem);

        [LoggerMessage(Level = LogLevel.Information, Message = "Retired {Model} v{Version}")]
        public static partial void Retired(ILogger logger, string model, int version);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Model} v{Version} failed its health check: {Problem}")]
        public static partial void Unhealthy(ILogger logger, string model, int version, string problem);
    }
}
