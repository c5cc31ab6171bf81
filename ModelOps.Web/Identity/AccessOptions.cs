namespace ModelOps.Web.Identity;

/// <summary>
/// The <c>ModelOps:Access</c> section: demo password and the first admin outside demo mode.
/// Nothing here has a default outside demo mode.
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "ModelOps:Access";

    /// <summary>Password of the four demo users (demo mode only).</summary>
    public string DemoPassword { get; set; } = "modelops-demo";

    /// <summary>Required outside demo mode: the first admin's user name.</summary>
    public string? AdminUserName { get; set; }

    /// <summary>Required outside demo mode: the first admin's password (at least 12 characters).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Lifetime of API bearer tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
