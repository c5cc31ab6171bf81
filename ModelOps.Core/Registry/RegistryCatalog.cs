using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Stability;

namespace ModelOps.Core.Registry;

/// <summary>Read side of the registry.</summary>
public sealed class RegistryCatalog(ModelOpsDbContext db, ArtifactStore store, ChronicFailures chronicFailures)
{
    public async Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var names = await db.Set<RegisteredModel>().AsNoTracking().OrderBy(m => m.Name).Select(m => m.Name).ToListAsync(cancellationToken);
        var aliases = await db.Set<ModelAlias>().AsNoTracking().ToListAsync(cancellationToken);
        var latest = await db.Set<ModelVersion>().AsNoTracking()
            .GroupBy(v => v.Model).Select(g => new { Model = g.Key, Latest = g.Max(v => v.Version) })
            .ToDictionaryAsync(x => x.Model, x => x.Latest, cancellationToken);
        var chronic = await chronicFailures.AllAsync(cancellationToken);
        return [.. names.Select(name => new ModelSummary(
            name,
            aliases.Where(a => a.Model == name).OrderBy(a => a.Alias, StringComparer.Ordinal).ToDictionary(a => a.Alias, a => a.Version),
            latest.TryGetValue(name, out var v) ? v : null,
            chronic.GetValueOrDefault(name)))];
    }

    public async Task<Result<IReadOnlyList<ModelVersionView>>> ListVersionsAsync(string model, CancellationToken cancellationToken)
    {
        if (!await db.Set<RegisteredModel>().AnyAsync(m => m.Name == model, cancellationToken))
        {
            return ModelNotFound(model);
        }

        var versions = await db.Set<ModelVersion>().AsNoTracking().Where(v => v.Model == model).OrderBy(v => v.Version).ToListAsync(cancellationToken);
        return versions.Select(ToView).ToList();
    }

    public async Task<Result<ModelVersionView>> GetVersionAsync(string model, int version, CancellationToken cancellationToken) =>
        await FindAsync(model, version, cancellationToken) is { } found ? ToView(found) : VersionNotFound(model, version);

    /// <summary>Opens the stored bytes of a version for reading.</summary>
    public async Task<Result<Stream>> OpenArtifactAsync(string model, int version, CancellationToken cancellationToken) =>
        await FindAsync(model, version, cancellationToken) is { } found
            ? new FileStream(store.PathOf(found.Digest), FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : VersionNotFound(model, version);

    public async Task<Result<IReadOnlyList<AliasMoveView>>> AliasHistoryAsync(string model, string alias, CancellationToken cancellationToken)
    {
        if (!await db.Set<RegisteredModel>().AnyAsync(m => m.Name == model, cancellationToken))
        {
            return ModelNotFound(model);
        }

        var moves = await db.Set<AliasMove>().AsNoTracking()
            .Where(m => m.Model == model && m.Alias == alias)
            .OrderByDescending(m => m.Id)
            .Select(m => new AliasMoveView(m.Version, m.MovedAt, m.MovedBy, m.Reason))
            .ToListAsync(cancellationToken);
        return moves;
    }

    public Task<FeatureEncoderVersion?> FindEncoderAsync(string name, int version, CancellationToken cancellationToken) =>
        db.Set<FeatureEncoderVersion>().AsNoTracking().SingleOrDefaultAsync(e => e.Name == name && e.Version == version, cancellationToken);

    public static ModelVersionView ToView(ModelVersion v) => new(
        v.Model,
        v.Version,
        v.Digest,
        JsonSerializer.Deserialize<List<TensorSpec>>(v.InputsJson, JsonSerializerOptions.Web) ?? [],
        JsonSerializer.Deserialize<List<TensorSpec>>(v.OutputsJson, JsonSerializerOptions.Web) ?? [],
        v.TrainingRunId,
        v.DatasetHash,
        v.EncoderName is null ? null : $"{v.EncoderName}@{v.EncoderVersion}",
        JsonSerializer.Deserialize<Dictionary<string, double>>(v.MetricsJson, JsonSerializerOptions.Web) ?? [],
        v.CreatedAt,
        v.CreatedBy,
        v.Description,
        v.SizeBytes,
        v.FrozenByIncident is not null,
        v.EverServed,
        v.DecisionThreshold);

    internal static Error ModelNotFound(string model) => Error.NotFound($"No model named '{model}'; GET /api/models lists them.");

    internal static Error VersionNotFound(string model, int version) =>
        Error.NotFound($"Model '{model}' has no version {version}; GET /api/models/{model}/versions lists them.");

    private Task<ModelVersion?> FindAsync(string model, int version, CancellationToken cancellationToken) =>
        db.Set<ModelVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.Model == model && v.Version == version, cancellationToken);
}
