using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using ModelOps.Core.Identity;
using ModelOps.Core.Persistence;

namespace ModelOps.Web.Identity;

public static class IdentityServiceCollectionExtensions
{
    private const string SelectorScheme = "ModelOps";

    /// <summary>
    /// Cookies for the console, bearer tokens for <c>/api</c>. The API never accepts the
    /// cookie, so a page can't be tricked into making API calls with it (no CSRF surface).
    /// </summary>
    public static IServiceCollection AddModelOpsIdentity(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section);
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SelectorScheme;
                options.DefaultChallengeScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie for the console, bearer for the API", options =>
                options.ForwardDefaultSelector = context => context.Request.Path.StartsWithSegments("/api")
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme)
            .AddIdentityCookies();
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme);
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/login";
            options.AccessDeniedPath = "/denied";
            options.Cookie.Name = "modelops.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddIdentityCore<ModelOpsUser>(options =>
            {
                // Length over composition rules (NIST SP 800-63B); the demo password satisfies it.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ModelOpsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        Policies.Configure(services.AddAuthorizationBuilder());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddScoped<TokenIssuer>();
        services.AddScoped<AccessSeeder>();
        services.AddScoped<UserAdministration>();
        services.AddCascadingAuthenticationState();
        return services;
    }
}
