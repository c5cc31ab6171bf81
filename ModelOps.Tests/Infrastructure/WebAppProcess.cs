using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// The built ModelOps.Web run as a child process on a loopback port, exactly as deployed:
/// real Kestrel and sockets, the app's own runtimeconfig (server GC), its own thread pool and
/// heap, so the load client's work is not billed to the server's GC. Configured like the
/// in-process app (<see cref="Settings"/>: demo mode, simulator off) plus the caller's settings.
/// Disposing kills the child (SIGKILL on Linux) and deletes the data directory it created; a
/// data directory the caller passed is the caller's. Shared by the tests (crash tests) and the
/// benchmarks (HTTP harnesses), which link this file.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private readonly bool _ownsDirectory;

    private WebAppProcess(Process process, Uri baseAddress, string dataDirectory, bool ownsDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>The configuration every hosting style (in-process and child process) starts the app with.</summary>
    public static IReadOnlyDictionary<string, string?> Settings(string dataDirectory) => new Dictionary<string, string?>
    {
        ["ModelOps:DataDirectory"] = dataDirectory,
        ["ModelOps:DemoMode"] = "true",
        ["ModelOps:Simulator:Enabled"] = "false",
    };

    /// <summary>Starts the app and returns once GET /v2/health/ready answers 200 (start-up and warm-up done).</summary>
    public static async Task<WebAppProcess> StartAsync(
        TimeSpan timeout, IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        var assembly = FindWebAssembly();
        var ownsDirectory = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "modelops-harness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!, // a file path always has a directory
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in Settings(dataDirectory).Concat(settings ?? new Dictionary<string, string?>()))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {assembly}.");
        var app = new WebAppProcess(process, baseAddress, dataDirectory, ownsDirectory);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitReadyAsync(timeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public string RecentOutput()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the OOM killer or an operator's kill -9 ends it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// SIGSTOP: every thread stops where it is, sockets and database sessions stay open, as in a
    /// long GC pause or a frozen VM. Returns once the kernel reports the process stopped.
    /// </summary>
    public async Task SuspendAsync()
    {
        await SignalAsync("STOP");
        var watch = Stopwatch.StartNew();
        while (ProcessStat.State(ProcessId) != 'T')
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(5))
            {
                throw new TimeoutException($"Process {ProcessId} is not stopped 5 s after SIGSTOP (state '{ProcessStat.State(ProcessId)}').");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>SIGCONT: a process <see cref="SuspendAsync"/> stopped carries on from where it was.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is disposable; a late file handle only delays its cleanup.
        }
    }

    private async Task SignalAsync(string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add($"-{signal}");
        start.ArgumentList.Add(ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException($"Could not run kill -{signal}.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {ProcessId} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Returns once GET /v2/health/ready answers 200; throws with the app's recent output if it exits or the time runs out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ModelOps.Web exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{RecentOutput()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the probe's time-out.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"ModelOps.Web was not ready within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{RecentOutput()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>
    /// ModelOps.Web's own build output (same configuration as this assembly), found from the
    /// solution root; else the copy beside this assembly, which the project reference brings.
    /// </summary>
    private static string FindWebAssembly()
    {
        var configuration = typeof(WebAppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelOps.sln")))
            {
                var built = Path.Combine(directory.FullName, "ModelOps.Web", "bin", configuration, "net10.0", "ModelOps.Web.dll");
                if (File.Exists(built))
                {
                    return built;
                }

                break;
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "ModelOps.Web.dll");
        return File.Exists(beside) ? beside : throw new FileNotFoundException("ModelOps.Web.dll not found; build the solution first.", beside);
    }

    /// <summary>A port the OS has just handed out; another process could take it before the child binds, which start-up would report.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
