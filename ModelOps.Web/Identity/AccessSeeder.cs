using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Identity;

namespace ModelOps.Web.Identity;

/// <summary>
/// Creates the roles, then the demo users (demo mode) or the first admin from configuration.
/// Outside demo mode nothing gets a default password: a missing admin stops the start-up.
/// </summary>
public sealed partial class AccessSeeder(
    RoleManager<IdentityRole> roles,
    UserManager<ModelOpsUser> users,
    UserAdministration administration,
    IOptions<ModelOpsOptions> root,
    IOptions<AccessOptions> access,
    ILogger<AccessSeeder> logger)
{
    public const string SystemActor = "system";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        if (root.Value.DemoMode)
        {
            foreach (var role in Roles.All)
            {
                await EnsureUserAsync(role.ToLowerInvariant(), access.Value.DemoPassword, role, cancellationToken);
            }

            Log.DemoUsers(logger, string.Join(", ", Roles.All.Select(r => r.ToLowerInvariant())), access.Value.DemoPassword);
            return;
        }

        if (await users.GetUsersInRoleAsync(Roles.Admin) is { Count: > 0 })
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(access.Value.AdminUserName) || string.IsNullOrEmpty(access.Value.AdminPassword))
        {
            throw new InvalidOperationException(
                "Demo mode is off and no admin exists. Set ModelOps:Access:AdminUserName and ModelOps:Access:AdminPassword " +
                "(e.g. environment variables ModelOps__Access__AdminUserName and ModelOps__Access__AdminPassword) for the first start.");
        }

        await EnsureUserAsync(access.Value.AdminUserName, access.Value.AdminPassword, Roles.Admin, cancellationToken);
    }

    private async Task EnsureUserAsync(string userName, string password, string role, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName) is not null)
        {
            return;
        }

        var created = await administration.CreateAsync(userName, password, [role], SystemActor, cancellationToken);
        if (!created.IsSuccess)
        {
            throw new InvalidOperationException($"Could not create user '{userName}': {created.Error.Detail}");
        }
    }

    private static partial class Log
    {
        // The demo password is public by design (it is in the README); real passwords are never logged.
        [LoggerMessage(Level = LogLevel.Warning, Message = "Demo mode: log in as one of {Users} with password '{DemoPassword}'")]
        public static partial void DemoUsers(ILogger logger, string users, string demoPassword);
    }
}
