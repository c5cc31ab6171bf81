namespace ModelOps.Web.Hosting;

/// <summary>
/// Work that must finish before the service reports ready (demo seeding, warm-up). Runs in
/// its own DI scope after migrations, in ascending <see cref="Order"/>.
/// </summary>
public interface IStartupTask
{
    int Order { get; }

    Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);
}
