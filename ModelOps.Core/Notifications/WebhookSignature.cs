using System.Security.Cryptography;
using System.Text;

namespace ModelOps.Core.Notifications;

/// <summary>
/// <c>X-ModelOps-Signature: sha256=&lt;hex&gt;</c>: HMAC-SHA256 of the exact body bytes under the
/// webhook's secret, lower-case hex, as GitHub signs its webhooks.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-ModelOps-Signature";
    public const string EventIdHeader = "X-ModelOps-Event-Id";
    public const string EventTypeHeader = "X-ModelOps-Event";
    public const string TimestampHeader = "X-ModelOps-Timestamp";
    public const string DeliveryHeader = "X-ModelOps-Delivery";
    public const string AttemptHeader = "X-ModelOps-Attempt";

    private const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>Whether <paramref name="signature"/> is this body's under the secret; compared in constant time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null || !signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
