namespace ModelOps.Tests.Infrastructure;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding ModelOps.sln, found upwards from the test assembly.</summary>
    public static string Root()
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
