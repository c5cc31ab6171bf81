using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Web.Identity;
using ModelOps.Web.Rollouts;

// Its own namespace: the placeholder page class Pages.Rollouts (the dashboard's) would clash with a Pages.Rollouts namespace.
namespace ModelOps.Web.Components.Pages.RolloutWizard;

/// <summary>
/// The new-rollout wizard. Preflight and start go through <see cref="RolloutLauncher"/>, as
/// <c>POST /api/rollouts/preflight</c> and <c>POST /api/rollouts</c> do; Start is enabled only
/// while the form is exactly the one whose preflight passed.
/// </summary>
public sealed partial class NewRolloutPage
{
    // Named literals: an edge typed as a non-number is NaN until the parser names it, and it must still compare.
    private static readonly JsonSerializerOptions BodyOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly NewRolloutForm _form = new();
    private IReadOnlyList<ModelSummary> _models = [];
    private IReadOnlyList<ModelVersionView> _versions = [];
    private IReadOnlyList<string> _regions = [];
    private IReadOnlyList<SegmentChoice> _segments = SegmentCardinality.Choices(null);
    private int? _champion;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private PreflightOutcome? _preflight;
    private string? _preflightedBody;
    private bool _busy;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!; // Set by DI.

    [Inject]
    private IAuthorizationService Authorization { get; set; } = null!; // Set by DI.

    [Inject]
    private NavigationManager Navigation { get; set; } = null!; // Set by DI.

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!; // Cascaded by the router.

    /// <summary>Preselects a model (and candidate) from the query string, e.g. <c>/rollouts/new?model=ctr-ranker&amp;version=3</c>.</summary>
    [SupplyParameterFromQuery(Name = "model")]
    public string? InitialModel { get; set; }

    [SupplyParameterFromQuery(Name = "version")]
    public int? InitialVersion { get; set; }

    private bool CanStart => !_busy && _preflight is { Passed: true } && _preflightedBody == Body();

    private string StartBlockedText => _preflight is null ? "Run the preflight first."
        : !_preflight.Passed ? "The preflight did not pass: fix what it lists and run it again."
        : "The form changed since the preflight: run it again.";

    protected override async Task OnInitializedAsync()
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        _models = await scope.ServiceProvider.GetRequiredService<RegistryCatalog>().ListModelsAsync(CancellationToken.None);
        var model = _models.FirstOrDefault(m => m.Name == InitialModel) ?? _models.FirstOrDefault(m => m.Name == DemoModelFamily.ModelName) ?? _models.FirstOrDefault();
        if (model is not null)
        {
            await ModelChangedAsync(model.Name);
        }

        if (InitialVersion is { } version && _versions.Any(v => v.Version == version))
        {
            await CandidateChangedAsync(version);
        }
    }

    private async Task ModelChangedAsync(string? model)
    {
        _form.Model = model;
        _champion = _models.FirstOrDefault(m => m.Name == model)?.Aliases.GetValueOrDefault("champion") is { } c and > 0 ? c : null;
        await using var scope = ScopeFactory.CreateAsyncScope();
        _versions = [];
        if (model is not null && await scope.ServiceProvider.GetRequiredService<RegistryCatalog>().ListVersionsAsync(model, CancellationToken.None) is { IsSuccess: true } versions)
        {
            _versions = [.. versions.Value.OrderByDescending(v => v.Version)];
        }

        // The newest version that is not the champion: the usual candidate.
        await CandidateChangedAsync(_versions.FirstOrDefault(v => v.Version != _champion)?.Version);
    }

    private async Task CandidateChangedAsync(int? version)
    {
        _form.CandidateVersion = version;
        var encoder = await EncoderOfAsync(_versions.FirstOrDefault(v => v.Version == version));
        _regions = encoder?.Features.FirstOrDefault(f => f.Name == ClickWorld.RegionFeature && f.Kind == FeatureKind.Categorical)?.Vocabulary ?? [];
        _segments = SegmentCardinality.Choices(encoder);
        if (!StepTemplate.For(_form.Strategy, _regions).Any(t => t.Key == _form.StepTemplate))
        {
            _form.StepTemplate = StepTemplate.For(_form.Strategy, _regions)[0].Key;
        }

        Changed();
    }

    /// <summary>
    /// A version's paired encoder: its categorical <c>region</c> feature gives the region-by-region template,
    /// its features what a KPI may be segmented by. Null when it has none.
    /// </summary>
    private async Task<FeatureEncoderSpec?> EncoderOfAsync(ModelVersionView? version)
    {
        if (version?.EncoderVersion?.Split('@') is not [var name, var number] || !int.TryParse(number, out var encoderVersion))
        {
            return null;
        }

        await using var scope = ScopeFactory.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<RegistryCatalog>().FindEncoderAsync(name, encoderVersion, CancellationToken.None);
        return stored is not null && FeatureEncoderSpec.Parse(stored.SpecJson) is { IsSuccess: true } spec ? spec.Value : null;
    }

    private void StrategyChanged(string strategy)
    {
        _form.Strategy = strategy;
        _form.StepTemplate = StepTemplate.For(strategy, _regions)[0].Key;
        Changed();
    }

    private void Edit(Action change)
    {
        change();
        Changed();
    }

    /// <summary>Any edit clears the field errors it may have fixed; the preflight result stays visible but no longer enables Start.</summary>
    private void Changed() => _errors = new Dictionary<string, string>();

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? ErrorOf(string field) => _errors.GetValueOrDefault(field);

    /// <summary>The first error at <paramref name="prefix"/> or below it (<c>rollback.steps</c>, <c>rollback.steps[1].weight</c>).</summary>
    private string? ErrorUnder(string prefix) =>
        _errors.Where(e => e.Key == prefix || e.Key.StartsWith(prefix + "[", StringComparison.Ordinal) || e.Key.StartsWith(prefix + ".", StringComparison.Ordinal))
            .Select(e => e.Value).FirstOrDefault();

    private string Body() => JsonSerializer.Serialize(_form.ToRequest(_regions), BodyOptions);

    private async Task PreflightAsync()
    {
        _busy = true;
        try
        {
            _preflight = null;
            _errors = _form.Validate(_regions, _segments);
            if (_errors.Count > 0)
            {
                return;
            }

            var body = Body();
            await using var scope = ScopeFactory.CreateAsyncScope();
            _preflight = await scope.ServiceProvider.GetRequiredService<RolloutLauncher>().PreflightAsync(_form.ToRequest(_regions), CancellationToken.None);
            _preflightedBody = body;
            if (_preflight.Invalid is { } invalid)
            {
                _errors = new Dictionary<string, string>([NewRolloutForm.FieldOf(invalid)]);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task StartAsync()
    {
        var user = (await AuthenticationState).User;
        if (!await ConsoleGuard.AllowsAsync(Authorization, ScopeFactory, user, Policies.Operator, "start rollout", CancellationToken.None))
        {
            _errors = new Dictionary<string, string> { ["form"] = "Starting a rollout needs the Operator role; refused and audited." };
            return;
        }

        _busy = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            var launcher = scope.ServiceProvider.GetRequiredService<RolloutLauncher>();
            // Checked again at start, as the API does: state may have moved since the preflight ran.
            _preflight = await launcher.PreflightAsync(_form.ToRequest(_regions), CancellationToken.None);
            if (!_preflight.Passed)
            {
                _errors = new Dictionary<string, string> { ["form"] = "The preflight no longer passes; see the checks below." };
                return;
            }

            var started = await launcher.StartAsync(_preflight.Plan!, user.Identity?.Name ?? "unknown", CancellationToken.None); // Passed implies a plan.
            if (started.IsSuccess)
            {
                Navigation.NavigateTo($"/rollouts/{started.Value.Id}");
                return;
            }

            _errors = new Dictionary<string, string> { ["form"] = started.Error.Detail };
        }
        finally
        {
            _busy = false;
        }
    }

    private string VersionText(ModelVersionView v)
    {
        var aliases = _models.FirstOrDefault(m => m.Name == v.Name)?.Aliases.Where(a => a.Value == v.Version).Select(a => a.Key).ToList() ?? [];
        return $"v{v.Version}{(aliases.Count > 0 ? $" ({string.Join(", ", aliases)})" : string.Empty)} · {v.CreatedAt.UtcDateTime:yyyy-MM-dd}{(v.Frozen ? " · frozen" : string.Empty)}";
    }

    private static string StrategyText(string strategy) => strategy switch
    {
        "shadow" => "The candidate first answers a mirrored copy of requests (never returned to callers); an Operator advances it to the canary steps once its shadow diff looks right.",
        "blueGreen" => "All traffic flips to the candidate in one step; guardrails still watch it and roll back on a failure.",
        _ => "The candidate takes a growing share of live traffic, step by step, each step baking before the next.",
    };
}
