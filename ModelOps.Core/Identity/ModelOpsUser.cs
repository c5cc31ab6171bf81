using Microsoft.AspNetCore.Identity;

namespace ModelOps.Core.Identity;

public sealed class ModelOpsUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
