using Microsoft.Extensions.Logging.Abstractions;
using ModelOps.Web.GameDays;

namespace ModelOps.Tests.GameDays;

public sealed class GameDayWorkerTests
{
    [Fact]
    public async Task StopAsync_AfterTheContainerDisposedIt_ReturnsWithoutThrowing()
    {
        // A test host stopped by StopApplication is stopped again by its factory's dispose, after its
        // singletons were disposed: this threw ObjectDisposedException and failed an unrelated test.
        var worker = new GameDayWorker(null!, NullLogger<GameDayWorker>.Instance); // StopAsync never touches the runner
        await worker.StopAsync(CancellationToken.None);
        worker.Dispose();

        var again = await Record.ExceptionAsync(() => worker.StopAsync(CancellationToken.None));

        Assert.Null(again);
    }
}
