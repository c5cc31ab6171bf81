using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace ModelOps.Tests.Hosting;

/// <summary>Per-route counts and status histograms of a fuzz run, and every answer that broke the rules.</summary>
public sealed class FuzzFigures
{
    private readonly SortedDictionary<string, SortedDictionary<int, int>> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unlocated = [];

    public List<string> Failures { get; } = [];

    /// <summary>Checks one answer: below 500, and a 4xx is problem+json with a detail.</summary>
    public async Task RecordAsync(string route, byte[] body, string? contentType, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var histogram = _statuses.TryGetValue(route, out var found) ? found : _statuses[route] = [];
        histogram[status] = histogram.GetValueOrDefault(status) + 1;
        if (status < 400)
        {
            return;
        }

        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<JsonElement>()
            : (JsonElement?)null;
        var detail = problem?.TryGetProperty("detail", out var d) == true ? d.GetString() : null;
        if (status >= 500 || string.IsNullOrWhiteSpace(detail))
        {
            Failures.Add($"{route} ({contentType ?? "no content type"}) -> {status} {response.Content.Headers.ContentType}: {detail} | body {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 120)))}");
        }
        else if (status == 400 && !problem!.Value.TryGetProperty("field", out _) && !problem.Value.TryGetProperty("offset", out _))
        {
            _unlocated[route] = _unlocated.GetValueOrDefault(route) + 1; // a figure, not a rule: some 400s concern the whole body
        }
    }

    public void Print(ITestOutputHelper output)
    {
        foreach (var (route, histogram) in _statuses)
        {
            output.WriteLine($"{route}: {histogram.Values.Sum()} bodies; {string.Join(", ", histogram.Select(h => $"{h.Key}×{h.Value}"))}; 400 without field/offset: {_unlocated.GetValueOrDefault(route)}");
        }

        output.WriteLine($"total: {_statuses.Values.Sum(h => h.Values.Sum())} bodies, {Failures.Count} bad answers");
    }
}
