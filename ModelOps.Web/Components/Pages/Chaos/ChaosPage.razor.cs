using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Chaos;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Web.Chaos;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Components.Pages.Chaos;

/// <summary>
/// Inject and clear game-day faults per served version through <see cref="ChaosService"/> (as
/// <c>POST /api/chaos</c> does), with a banner while any fault is active. Refreshes every 2 s, so a
/// fault set through the API or by a game day shows up too.
/// </summary>
public sealed partial class ChaosPage
{
    private readonly Dictionary<string, FaultInput> _inputs = new(StringComparer.Ordinal);
    private IReadOnlyList<ServedVersion> _rows = [];
    private bool _isOperator;
    private bool _busy;
    private string? _error;

    [Inject]
    private IServiceScopeFactory ScopeFactory { get; set; } = null!; // Set by DI.

    [Inject]
    private IAuthorizationService Authorization { get; set; } = null!; // Set by DI.

    [Inject]
    private ITrafficRouter Router { get; set; } = null!; // Set by DI.

    [Inject]
    private ChaosBoard Board { get; set; } = null!; // Set by DI.

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!; // Cascaded by the router.

    protected override async Task OnInitializedAsync()
    {
        _isOperator = (await Authorization.AuthorizeAsync((await AuthenticationState).User, Policies.Operator)).Succeeded;
        await LoadAsync();
        StartPolling(TimeSpan.FromSeconds(2));
    }

    protected override async Task LoadAsync()
    {
        await using var scope = ScopeFactory.CreateAsyncScope();
        var models = await scope.ServiceProvider.GetRequiredService<RegistryCatalog>().ListModelsAsync(Disposed);
        _rows = ServedVersion.Of(models.Select(m => m.Name), Router, Board);
    }

    private FaultInput InputOf(string key) => _inputs.TryGetValue(key, out var input) ? input : _inputs[key] = new FaultInput();

    private Task InjectAsync(ServedVersion row, FaultInput input) => ActAsync($"inject fault {row.Model} v{row.Version}", async (chaos, actor) =>
    {
        var set = await chaos.SetAsync(new ChaosFaultRequest(row.Model, row.Version, input.AddedLatencyMs, input.ErrorRate, input.KpiFactor), actor, Disposed);
        return set.IsSuccess ? null : set.Error.Detail;
    });

    private Task ClearAsync(ServedVersion row) => ActAsync($"clear fault {row.Model} v{row.Version}", async (chaos, actor) =>
    {
        var removed = await ((IChaosFaults)chaos).RemoveAsync(row.Model, row.Version, actor, Disposed);
        return removed.IsSuccess ? null : removed.Error.Detail;
    });

    private Task ClearAllAsync() => ActAsync("clear every fault", async (chaos, actor) =>
    {
        var cleared = await chaos.ClearAsync(actor, Disposed);
        return cleared.IsSuccess ? null : cleared.Error.Detail;
    });

    /// <summary>Checks the Operator policy again on the server (audited when refused), then acts through a fresh scope's <see cref="ChaosService"/>.</summary>
    private async Task ActAsync(string action, Func<ChaosService, string, Task<string?>> act)
    {
        var user = (await AuthenticationState).User;
        if (!await ConsoleGuard.AllowsAsync(Authorization, ScopeFactory, user, Policies.Operator, action, Disposed))
        {
            _error = "Chaos needs the Operator role; refused and audited.";
            return;
        }

        _busy = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            _error = await act(scope.ServiceProvider.GetRequiredService<ChaosService>(), user.Identity?.Name ?? "unknown");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The values typed for one version before Inject; neutral by default.</summary>
    private sealed class FaultInput
    {
        public double AddedLatencyMs { get; set; }

        public double ErrorRate { get; set; }

        public double KpiFactor { get; set; } = 1;
    }
}
