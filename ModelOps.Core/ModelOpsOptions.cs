using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core;

/// <summary>The root <c>ModelOps</c> configuration section.</summary>
public sealed class ModelOpsOptions
{
    public const string Section = "ModelOps";

    /// <summary>Where the database, artifacts, keys and logs live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Seeds demo users and models and runs the traffic simulator.</summary>
    public bool DemoMode { get; set; } = true;

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}
