using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;

namespace ModelOps.Core.Identity;

/// <summary>Creates users and changes roles; every change commits with its audit row.</summary>
public sealed class UserAdministration(UserManager<ModelOpsUser> users, AuditTrail trail, TimeProvider time)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var summaries = new List<UserSummary>(all.Count);
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            summaries.Add(new UserSummary(user.UserName ?? string.Empty, [.. roles.Order()], user.LockoutEnd > time.GetUtcNow()));
        }

        return summaries;
    }

    public Task<Result<UserSummary>> CreateAsync(string userName, string password, IReadOnlyList<string> roles, string actor, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<UserSummary>(async _ =>
        {
            if (ValidateRoles(roles) is { } invalid)
            {
                return invalid;
            }

            if (await users.FindByNameAsync(userName) is not null)
            {
                return Error.Conflict($"A user named '{userName}' already exists; choose another name or change that user's roles.");
            }

            var user = new ModelOpsUser { UserName = userName, CreatedAt = time.GetUtcNow() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return Error.Invalid("password", string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            var added = await users.AddToRolesAsync(user, roles);
            if (!added.Succeeded)
            {
                return Error.Invalid("roles", string.Join(" ", added.Errors.Select(e => e.Description)));
            }

            var summary = new UserSummary(userName, [.. roles.Order()], false);
            return new AuditedChange<UserSummary>(summary, new AuditRecord(actor, "user.created", $"user:{userName}", new { roles = summary.Roles }));
        }, cancellationToken);

    public Task<Result<UserSummary>> SetRolesAsync(string userName, IReadOnlyList<string> roles, string actor, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<UserSummary>(async _ =>
        {
            if (ValidateRoles(roles) is { } invalid)
            {
                return invalid;
            }

            var user = await users.FindByNameAsync(userName);
            if (user is null)
            {
                return Error.NotFound($"No user named '{userName}'.");
            }

            var current = await users.GetRolesAsync(user);
            var removed = await users.RemoveFromRolesAsync(user, current.Except(roles));
            var added = await users.AddToRolesAsync(user, roles.Except(current));
            if (!removed.Succeeded || !added.Succeeded)
            {
                return Error.Invalid("roles", string.Join(" ", removed.Errors.Concat(added.Errors).Select(e => e.Description)));
            }

            var summary = new UserSummary(userName, [.. roles.Order()], user.LockoutEnd > time.GetUtcNow());
            return new AuditedChange<UserSummary>(summary, new AuditRecord(actor, "user.roles_changed", $"user:{userName}", new { from = current.Order().ToArray(), to = summary.Roles }));
        }, cancellationToken);

    private static Error? ValidateRoles(IReadOnlyList<string> roles)
    {
        var unknown = roles.Where(r => !Roles.All.Contains(r)).ToArray();
        return unknown.Length > 0
            ? Error.Invalid("roles", $"Unknown role(s) {string.Join(", ", unknown)}; use any of {string.Join(", ", Roles.All)}.")
            : null;
    }
}
