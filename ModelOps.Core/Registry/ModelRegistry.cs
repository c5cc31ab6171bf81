using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Registry;

/// <summary>
/// Write side of the registry. Every change runs through <see cref="AuditTrail"/>, so it is
/// serialised (version numbers are gap-free under concurrency) and commits with its audit row.
/// </summary>
public sealed class ModelRegistry(
    ModelOpsDbContext db,
    AuditTrail trail,
    ArtifactStore store,
    IArtifactInspector inspector,
    TimeProvider time,
    IEnumerable<IAliasFollower> followers)
{
    public async Task<Result<RegistrationOutcome>> RegisterVersionAsync(
        string model, Stream artifact, VersionRegistration registration, string actor, CancellationToken cancellationToken)
    {
        if (RegistryRules.CheckName("model name", model) is { } badName)
        {
            return badName;
        }

        var metrics = RegistryRules.ParseMetrics(registration.MetricsJson);
        if (!metrics.IsSuccess)
        {
            return metrics.Error;
        }

        var threshold = RegistryRules.ParseDecisionThreshold(registration.DecisionThreshold);
        if (!threshold.IsSuccess)
        {
            return threshold.Error;
        }

        var stored = await store.StoreAsync(artifact, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }

        var signature = await inspector.InspectAsync(stored.Value.Path, cancellationToken);
        if (!signature.IsSuccess)
        {
            await DeleteBlobIfUnreferencedAsync(stored.Value.Digest, cancellationToken);
            return signature.Error;
        }

        return await trail.ExecuteAsync<RegistrationOutcome>(async ct =>
        {
            var existing = await db.Set<ModelVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.Model == model && v.Digest == stored.Value.Digest, ct);
            if (existing is not null)
            {
                return new AuditedChange<RegistrationOutcome>(new RegistrationOutcome(RegistryCatalog.ToView(existing), false), null);
            }

            var encoder = await ResolveEncoderAsync(registration.EncoderVersion, signature.Value, ct);
            if (!encoder.IsSuccess)
            {
                return encoder.Error;
            }

            var now = time.GetUtcNow();
            if (!await db.Set<RegisteredModel>().AnyAsync(m => m.Name == model, ct))
            {
                db.Add(new RegisteredModel { Name = model, CreatedAt = now, CreatedBy = actor });
            }

            var next = (await db.Set<ModelVersion>().Where(v => v.Model == model).MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
            var version = new ModelVersion
            {
                Model = model,
                Version = next,
                Digest = stored.Value.Digest,
                SizeBytes = stored.Value.SizeBytes,
                TrainingRunId = registration.TrainingRunId,
                DatasetHash = registration.DatasetHash,
                EncoderName = encoder.Value?.Name,
                EncoderVersion = encoder.Value?.Version,
                Description = registration.Description,
                MetricsJson = JsonSerializer.Serialize(metrics.Value),
                DecisionThreshold = threshold.Value,
                InputsJson = JsonSerializer.Serialize(signature.Value.Inputs, JsonSerializerOptions.Web),
                OutputsJson = JsonSerializer.Serialize(signature.Value.Outputs, JsonSerializerOptions.Web),
                CreatedAt = now,
                CreatedBy = actor,
            };
            db.Add(version);
            var view = RegistryCatalog.ToView(version);
            return new AuditedChange<RegistrationOutcome>(
                new RegistrationOutcome(view, true),
                new AuditRecord(actor, "version.registered", $"model:{model}/versions/{next}", new { view.Digest, view.SizeBytes, view.TrainingRunId, view.EncoderVersion }, model));
        }, cancellationToken);
    }

    public Task<Result<FeatureEncoderVersion>> RegisterEncoderAsync(FeatureEncoderSpec spec, string actor, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<FeatureEncoderVersion>(async ct =>
        {
            if (RegistryRules.CheckName("encoder name", spec.Name) is { } badName)
            {
                return badName;
            }

            var valid = spec.Validate();
            if (!valid.IsSuccess)
            {
                return valid.Error;
            }

            var json = spec.ToJson();
            var existing = await db.Set<FeatureEncoderVersion>().SingleOrDefaultAsync(e => e.Name == spec.Name && e.Version == spec.Version, ct);
            if (existing is not null)
            {
                return existing.SpecJson == json
                    ? new AuditedChange<FeatureEncoderVersion>(existing, null)
                    : Error.Conflict($"Encoder {spec.Name}@{spec.Version} already exists with a different spec; encoders are immutable, register version {spec.Version + 1}.");
            }

            var encoder = new FeatureEncoderVersion
            {
                Name = spec.Name,
                Version = spec.Version,
                SpecJson = json,
                OutputWidth = spec.OutputWidth,
                CreatedAt = time.GetUtcNow(),
                CreatedBy = actor,
            };
            db.Add(encoder);
            return new AuditedChange<FeatureEncoderVersion>(
                encoder,
                new AuditRecord(actor, "encoder.registered", $"encoder:{spec.Name}@{spec.Version}", new { encoder.OutputWidth }));
        }, cancellationToken);

    public async Task<Result<AliasMoveView>> MoveAliasAsync(string model, string alias, int version, string? reason, string actor, CancellationToken cancellationToken)
    {
        var moved = await MoveAliasInTransactionAsync(model, alias, version, reason, actor, cancellationToken);
        if (moved.IsSuccess)
        {
            foreach (var follower in followers)
            {
                await follower.AliasMovedAsync(model, alias, version, actor, cancellationToken);
            }
        }

        return moved;
    }

    private Task<Result<AliasMoveView>> MoveAliasInTransactionAsync(string model, string alias, int version, string? reason, string actor, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<AliasMoveView>(async ct =>
        {
            if (RegistryRules.CheckName("alias", alias) is { } badAlias)
            {
                return badAlias;
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                return Error.Invalid("reason", "A reason is required to move an alias; say why, e.g. \"v3 wins the offline eval\".");
            }

            if (!await db.Set<ModelVersion>().AnyAsync(v => v.Model == model && v.Version == version, ct))
            {
                return RegistryCatalog.VersionNotFound(model, version);
            }

            var current = await db.Set<ModelAlias>().SingleOrDefaultAsync(a => a.Model == model && a.Alias == alias, ct);
            var from = current?.Version;
            if (current is null)
            {
                db.Add(new ModelAlias { Model = model, Alias = alias, Version = version });
            }
            else
            {
                current.Version = version;
            }

            var move = new AliasMove { Model = model, Alias = alias, Version = version, MovedAt = time.GetUtcNow(), MovedBy = actor, Reason = reason };
            db.Add(move);
            return new AuditedChange<AliasMoveView>(
                new AliasMoveView(version, move.MovedAt, actor, reason),
                new AuditRecord(actor, "alias.moved", $"model:{model}/aliases/{alias}", new { from, to = version, reason }, model));
        }, cancellationToken);

    public async Task<Result<bool>> DeleteVersionAsync(string model, int version, string actor, CancellationToken cancellationToken)
    {
        string? digest = null;
        var deleted = await trail.ExecuteAsync<bool>(async ct =>
        {
            var found = await db.Set<ModelVersion>().SingleOrDefaultAsync(v => v.Model == model && v.Version == version, ct);
            if (found is null)
            {
                return RegistryCatalog.VersionNotFound(model, version);
            }

            var aliases = await db.Set<ModelAlias>().Where(a => a.Model == model && a.Version == version).Select(a => a.Alias).ToListAsync(ct);
            var reasons = new List<string>();
            if (found.EverServed)
            {
                reasons.Add("it has served traffic (its history must stay reproducible)");
            }

            if (found.FrozenByIncident is not null)
            {
                reasons.Add($"incident {found.FrozenByIncident} froze it as evidence");
            }

            reasons.AddRange(aliases.Select(a => $"alias '{a}' points at it (move the alias first)"));
            if (reasons.Count > 0)
            {
                return Error.Conflict($"Version {version} of '{model}' cannot be deleted: {string.Join("; ", reasons)}.", reasons);
            }

            digest = found.Digest;
            db.Remove(found);
            return new AuditedChange<bool>(true, new AuditRecord(actor, "version.deleted", $"model:{model}/versions/{version}", new { found.Digest }, model));
        }, cancellationToken);
        if (deleted.IsSuccess && digest is not null)
        {
            await DeleteBlobIfUnreferencedAsync(digest, cancellationToken);
        }

        return deleted;
    }

    /// <summary>Marks a version as having served traffic; from then on it can never be deleted.</summary>
    public Task<Result<bool>> MarkServedAsync(string model, int version, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<bool>(async ct =>
        {
            var found = await db.Set<ModelVersion>().SingleOrDefaultAsync(v => v.Model == model && v.Version == version, ct);
            if (found is null)
            {
                return RegistryCatalog.VersionNotFound(model, version);
            }

            if (found.EverServed)
            {
                return new AuditedChange<bool>(false, null);
            }

            found.EverServed = true;
            return new AuditedChange<bool>(true, new AuditRecord("system", "version.served", $"model:{model}/versions/{version}", null, model));
        }, cancellationToken);

    private async Task<Result<FeatureEncoderVersion?>> ResolveEncoderAsync(string? reference, ModelSignature signature, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return Result<FeatureEncoderVersion?>.Success(null);
        }

        var parsed = RegistryRules.ParseEncoderReference(reference);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var (name, version) = parsed.Value;
        var encoder = await db.Set<FeatureEncoderVersion>().AsNoTracking().SingleOrDefaultAsync(e => e.Name == name && e.Version == version, cancellationToken);
        if (encoder is null)
        {
            return Error.Invalid("encoderVersion", $"Encoder {reference} is not registered; POST its spec to /api/encoders first.");
        }

        if (encoder.RetiredByIncident is { } incident)
        {
            return Error.Conflict($"Encoder {reference} was retired by incident {incident}: the version it served was rolled back and no live version pairs with it. Close the incident with a root cause, or pair the model with another encoder version.");
        }

        var width = signature.Inputs is [{ Shape: [.., var last] }] ? last : -1;
        if (width != encoder.OutputWidth)
        {
            return Error.Invalid(
                "encoderVersion",
                $"Encoder {reference} produces {encoder.OutputWidth} features but the model's input takes {(width < 0 ? "an unknown number of" : width.ToString(System.Globalization.CultureInfo.InvariantCulture))} (one input with a fixed last dimension is required); pair the model with the encoder it was trained with.");
        }

        return encoder;
    }

    private async Task DeleteBlobIfUnreferencedAsync(string digest, CancellationToken cancellationToken)
    {
        if (!await db.Set<ModelVersion>().AnyAsync(v => v.Digest == digest, cancellationToken))
        {
            File.Delete(store.PathOf(digest));
        }
    }
}
