namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Load loops on their own threads instead of thread-pool workers: on two cores, loops that
/// never yield would hold the pool's only threads and starve what the app runs there (the log
/// writer, routing changes) until the pool injected more. The in-process serving path completes
/// synchronously, so a loop started here stays on its thread.
/// </summary>
public static class WorkerThreads
{
    public static Task<T> StartAsync<T>(Func<Task<T>> loop) =>
        Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
}
