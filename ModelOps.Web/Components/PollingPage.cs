using Microsoft.AspNetCore.Components;

namespace ModelOps.Web.Components;

/// <summary>
/// A console page that re-reads its data on a timer over the circuit (no reload): <see cref="StartPolling"/>
/// once loaded, <see cref="LoadAsync"/> each tick on the renderer's thread, stopped when the page closes.
/// </summary>
public abstract class PollingPage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private Task? _polling;

    [Inject]
    protected TimeProvider Time { get; set; } = null!; // Set by DI.

    /// <summary>Cancelled when the page closes: pass it to every read and command the page starts.</summary>
    protected CancellationToken Disposed => _disposed.Token;

    /// <summary>Reads the page's data; called by each tick before the page re-renders.</summary>
    protected abstract Task LoadAsync();

    protected void StartPolling(TimeSpan period) => _polling ??= PollAsync(period, _disposed.Token);

    private async Task PollAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }

        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
