using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// One caller predicting on a replica without pause, each answer filed under the test's current
/// <see cref="Phase"/>; a request that fails (a non-200 or no answer) is kept in <see cref="Failures"/>.
/// </summary>
internal sealed class ReplicaTraffic(Uri replica)
{
    private readonly ConcurrentQueue<(string Phase, int Version, string RequestId)> _served = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private volatile string _phase = "start";

    public string Phase
    {
        get => _phase;
        set => _phase = value;
    }

    public IReadOnlyList<string> Failures => [.. _failures];

    public IReadOnlyList<string> RequestIds => [.. _served.Select(s => s.RequestId)];

    /// <summary>The versions that answered in <paramref name="phase"/>, ascending; fails when none did.</summary>
    public IReadOnlyList<int> Versions(string phase)
    {
        var versions = _served.Where(s => s.Phase == phase).Select(s => s.Version).Distinct().Order().ToList();
        Assert.True(versions.Count > 0, $"no request answered during '{phase}'");
        return versions;
    }

    public async Task DuringAsync(string phase, TimeSpan duration)
    {
        Phase = phase;
        await Task.Delay(duration);
    }

    public string Summary() => string.Join("; ", _served.GroupBy(s => s.Phase).Select(g =>
        $"{g.Key}: {string.Join(", ", g.GroupBy(s => s.Version).OrderBy(v => v.Key).Select(v => $"v{v.Key} {v.Count()}"))}")) + $"; failures {_failures.Count}";

    public async Task RunAsync(CancellationToken stop)
    {
        using var plane = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var phase = Phase;
            try
            {
                var features = InferenceAppFixture.Features(hour: i % 24, userId: string.Create(CultureInfo.InvariantCulture, $"u-{i}"));
                using var response = await plane.PostAsJsonAsync($"/inference/{Rollouts.Engine.RolloutConsole.Model}/predict", new { features }, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    _failures.Enqueue($"{phase}: {(int)response.StatusCode} {body}");
                    continue;
                }

                var answer = JsonDocument.Parse(body).RootElement;
                _served.Enqueue((phase, answer.GetProperty("modelVersion").GetInt32(), answer.GetProperty("requestId").GetString()!)); // the contract's field
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                _failures.Enqueue($"{phase}: {e.Message}");
            }
        }
    }
}
