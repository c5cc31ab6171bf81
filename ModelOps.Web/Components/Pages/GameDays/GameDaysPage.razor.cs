using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelOps.Core.Demo;
using ModelOps.Core.GameDays;
using ModelOps.Core.Registry;
using ModelOps.Web.GameDays;
using ModelOps.Web.Identity;
using MudBlazor;

namespace ModelOps.Web.Components.Pages.GameDays;

/// <summary>
/// Game days: Operators start a drill through <see cref="GameDayLauncher"/> (as
/// <c>POST /api/gamedays</c> does); everyone follows the drills, their times against the targets
/// and their score, refreshed every 2 s while the page is open.
/// </summary>
public sealed partial class GameDaysPage
{
    private IReadOnlyList<ModelSummary> _models = [];
    private IReadOnlyList<ModelVersionView> _versions = [];
    private IReadOnlyList<GameDayResult> _drills = [];
    private string? _model;
    private int? _version;
    private double _latencyMs = 400;
    private double _errorRate;
    private double _kpiFactor = 1;
    private bool _isOperator;
    private bool _busy;
    private string? _error;
    private string? _field;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!; // Set by DI.

    [Inject]
    private IAuthorizationService Authorization { get; set; } = null!; // Set by DI.

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!; // Cascaded by the router.

    protected override async Task OnInitializedAsync()
    {
        _isOperator = (await Authorization.AuthorizeAsync((await AuthenticationState).User, Policies.Operator)).Succeeded;
        await using (var scope = ScopeFactory.CreateAsyncScope())
        {
            _models = await scope.ServiceProvider.GetRequiredService<RegistryCatalog>().ListModelsAsync(Disposed);
        }

        if ((_models.FirstOrDefault(m => m.Name == DemoModelFamily.ModelName) ?? _models.FirstOrDefault()) is { } model)
        {
            await ModelChangedAsync(model.Name);
        }

        await LoadAsync();
        StartPolling(TimeSpan.FromSeconds(2));
    }

    private async Task ModelChangedAsync(string model)
    {
        _model = model;
        await using var scope = ScopeFactory.CreateAsyncScope();
        var versions = await scope.ServiceProvider.GetRequiredService<RegistryCatalog>().ListVersionsAsync(model, Disposed);
        _versions = versions.IsSuccess ? [.. versions.Value.OrderByDescending(v => v.Version)] : [];
        var champion = _models.FirstOrDefault(m => m.Name == model)?.Aliases.GetValueOrDefault("champion");
        _version = _versions.FirstOrDefault(v => v.Version != champion)?.Version;
    }

    protected override async Task LoadAsync()
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        _drills = await scope.ServiceProvider.GetRequiredService<GameDayService>().ListAsync(null, Disposed);
    }

    private async Task RunAsync()
    {
        var user = (await AuthenticationState).User;
        if (!await ConsoleGuard.AllowsAsync(Authorization, ScopeFactory, user, Policies.Operator, "run game day", Disposed))
        {
            _error = "Running a drill needs the Operator role; refused and audited.";
            return;
        }

        _busy = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            var started = await scope.ServiceProvider.GetRequiredService<GameDayLauncher>().StartAsync(
                new GameDayRequest(_model, _version, new GameDayFault(_latencyMs, _errorRate, _kpiFactor), null), user.Identity?.Name ?? "unknown", Disposed);
            (_error, _field) = started.IsSuccess ? (null, null) : (started.Error.Detail, started.Error.Field);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private static string FaultText(GameDayFault fault)
    {
        var parts = new List<string>(3);
        if (fault.AddedLatencyMs is > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"+{fault.AddedLatencyMs:0} ms"));
        }

        if (fault.ErrorRate is > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{fault.ErrorRate * 100:0.#} % errors"));
        }

        if (fault.KpiFactor is { } k && k != 1)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"KPI × {k:0.##}"));
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>"2.1 s ≤ 13 s" for a time, "recovered (target recovered)" for verification; "—" while not measured.</summary>
    private static string ItemText(GameDayScoreItem item) => item.Value switch
    {
        double seconds => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s (target {Target(item.Target)})"),
        string status => $"{status} (target {Target(item.Target)})",
        _ => $"— (target {Target(item.Target)})",
    };

    private static string Target(object? target) => target switch
    {
        double seconds => string.Create(CultureInfo.InvariantCulture, $"≤ {seconds:0.#} s"),
        null => "none",
        _ => target.ToString() ?? "none",
    };

    private static string StatusIcon(string status) => status switch
    {
        GameDayScorecard.Pass => Icons.Material.Filled.CheckCircle,
        GameDayScorecard.Fail => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.HourglassEmpty,
    };

    private static Color StatusColor(string status) => status switch
    {
        GameDayScorecard.Pass => Color.Success,
        GameDayScorecard.Fail => Color.Error,
        _ => Color.Default,
    };
}
