using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Common;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>Reads a version and its paired encoder from the registry (a scope per call: the pool is a singleton).</summary>
public sealed class ServableVersionLoader(IServiceScopeFactory scopes, ArtifactStore store)
{
    public async Task<Result<ServableVersion>> LoadAsync(string model, int version, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<RegistryCatalog>();
        var found = await catalog.GetVersionAsync(model, version, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var view = found.Value;
        FeatureEncoder? encoder = null;
        if (view.EncoderVersion is { } reference)
        {
            var parsed = RegistryRules.ParseEncoderReference(reference);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }

            var stored = await catalog.FindEncoderAsync(parsed.Value.Name, parsed.Value.Version, cancellationToken);
            if (stored is null)
            {
                return Error.NotFound($"Encoder {reference} paired with {model} v{version} is not in the registry; register it again.");
            }

            var spec = FeatureEncoderSpec.Parse(stored.SpecJson);
            var created = spec.IsSuccess ? FeatureEncoder.Create(spec.Value) : spec.Error;
            if (!created.IsSuccess)
            {
                return created.Error;
            }

            encoder = created.Value;
        }

        return new ServableVersion(model, version, view.Digest, store.PathOf(view.Digest), view.Inputs, view.Outputs, encoder);
    }
}
