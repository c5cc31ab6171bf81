using Microsoft.Extensions.DependencyInjection;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// A database read in a scope of its own, its token cancelled after a bound. On a link that drops
/// packets the driver may not honour the token for tens of seconds (opening a connection, or
/// closing one mid-read), so callers also bound their wait (<c>WaitAsync</c>) and may abandon the
/// task: owning its scope, it then holds nothing of theirs — not a request's services, not the
/// HTTP connection behind them — and ends on its own.
/// </summary>
public static class DetachedRead
{
    public static async Task<T> RunAsync<T>(
        IServiceScopeFactory scopes, TimeSpan bound, Func<IServiceProvider, CancellationToken, Task<T>> read, CancellationToken stoppingToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(read);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(bound);
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider, timeout.Token);
    }
}
