using System.ComponentModel;
using System.Diagnostics;

namespace ModelOps.Tests.Infrastructure;

/// <summary>Prometheus's own checker for a text exposition (<c>promtool check metrics</c>); ./test.sh installs it.</summary>
public static class Promtool
{
    /// <summary>promtool's exit code and everything it printed (nothing when the exposition is clean).</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var promtool = FindOnPath("promtool")
            ?? throw new Xunit.Sdk.XunitException("promtool is not installed, so the /metrics exposition cannot be checked. Run ./test.sh: it installs the Debian package 'prometheus', which provides /usr/bin/promtool.");
        var start = new ProcessStartInfo(promtool, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new Win32Exception($"Could not start {promtool}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The exposition must reach promtool byte for byte: \n line ends, no BOM.
        process.StandardInput.NewLine = "\n";
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
