using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Registry;

/// <summary>The <c>ModelOps:Registry</c> section.</summary>
public sealed class RegistryOptions
{
    public const string Section = "ModelOps:Registry";

    /// <summary>Uploads larger than this are refused with 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 256L * 1024 * 1024;
}
