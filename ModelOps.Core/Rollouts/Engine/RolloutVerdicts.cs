using System.Collections.Concurrent;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The judge's state and latest verdicts per active rollout, kept in memory between looks.
/// Not persisted yet: a restart starts every guardrail's sequential test afresh (valid, only slower).
/// </summary>
public sealed class RolloutVerdicts
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyList<Verdict> Latest(string rolloutId) => _entries.TryGetValue(rolloutId, out var entry) ? entry.Verdicts : [];

    internal Entry Get(string rolloutId, int guardrails, DateTimeOffset startedAt) =>
        _entries.GetOrAdd(rolloutId, _ => new Entry([.. Enumerable.Repeat(GuardrailState.Initial, guardrails)], [], startedAt));

    internal void Set(string rolloutId, Entry entry) => _entries[rolloutId] = entry;

    internal void Forget(string rolloutId) => _entries.TryRemove(rolloutId, out _);

    internal sealed record Entry(GuardrailState[] States, IReadOnlyList<Verdict> Verdicts, DateTimeOffset LastLook);
}
