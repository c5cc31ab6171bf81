using System.Text;
using ModelOps.Core.Notifications;

namespace ModelOps.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Sign_Rfc4231TestCase2_IsTheKnownHmacSha256()
    {
        var signature = WebhookSignature.Sign("Jefe", Encoding.UTF8.GetBytes("what do ya want for nothing?"));

        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
    }

    [Theory]
    [InlineData("{\"id\":\"evt-1\"}", "{\"id\":\"evt-1\"}", true)]
    [InlineData("{\"id\":\"evt-1\"}", "{\"id\":\"evt-2\"}", false)]
    [InlineData("{\"id\":\"evt-1\"}", "{\"id\": \"evt-1\"}", false)]
    public void Verify_SignatureOfOneBody_HoldsOnlyForTheSameBytes(string signed, string received, bool valid)
    {
        var signature = WebhookSignature.Sign("a-secret-of-16-chars", Encoding.UTF8.GetBytes(signed));

        Assert.Equal(valid, WebhookSignature.Verify("a-secret-of-16-chars", Encoding.UTF8.GetBytes(received), signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    public void Verify_MissingOrUnprefixedSignature_Fails(string? signature)
    {
        Assert.False(WebhookSignature.Verify("Jefe", Encoding.UTF8.GetBytes("what do ya want for nothing?"), signature));
    }
}
