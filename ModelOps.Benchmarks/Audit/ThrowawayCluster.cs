using System.Diagnostics;

namespace ModelOps.Benchmarks.Audit;

/// <summary>A PostgreSQL cluster for one harness run (audit-append, inference-log-write), started and stopped with tools/pg-throwaway.sh.</summary>
public static class ThrowawayCluster
{
    /// <summary>Starts a cluster in <paramref name="directory"/> and returns its connection string.</summary>
    public static string Start(string directory) => Run("start", directory).Trim();

    public static void Stop(string directory) => Run("stop", directory);

    private static string Run(string command, string directory)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tools", "pg-throwaway.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"tools/pg-throwaway.sh {command} failed ({process.ExitCode}): {error}. Is PostgreSQL installed (apt-get install postgresql)?");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelOps.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ModelOps.sln above {AppContext.BaseDirectory}.");
    }
}
