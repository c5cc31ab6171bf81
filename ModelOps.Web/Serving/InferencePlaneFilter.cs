using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ModelOps.Inference.Serving;

namespace ModelOps.Web.Serving;

/// <summary>
/// The inference plane's own gate: open unless <c>ModelOps:Inference:ApiKeys</c> lists keys, then
/// one of them in <c>X-Api-Key</c> (compared in constant time). Console logins do not apply here.
/// </summary>
public sealed class InferencePlaneFilter(IOptions<ServingOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var keys = options.Value.ApiKeys;
        if (keys.Count == 0)
        {
            return await next(context);
        }

        var presented = context.HttpContext.Request.Headers[Header].ToString();
        var presentedBytes = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(presentedBytes, Encoding.UTF8.GetBytes(key));
        }

        return match
            ? await next(context)
            : TypedResults.Problem(
                presented.Length == 0 ? $"This inference plane requires an API key; send it in the {Header} header." : $"The key in {Header} is not one of the configured inference keys.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized");
    }
}
