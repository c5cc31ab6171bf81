using System.Text;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Tests.Serving.Routing;

public sealed class StableRoutingHashTests
{
    // Published FNV-1a 64-bit test vectors (http://www.isthe.com/chongo/tech/comp/fnv/).
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_KnownVector_MatchesPublishedValue(string input, ulong expected)
    {
        Assert.Equal(expected, StableRoutingHash.Fnv1a64(Encoding.UTF8.GetBytes(input)));
    }

    // Expected values computed independently (Python, same algorithm) so that a change to the
    // hash, the separator, the salt or the UTF-8 encoding, which would reshuffle every sticky
    // user on deploy, fails here.
    [Theory]
    [InlineData("churn", "user-42", 0x6af0d243e1fb2fe3UL, 0.27448130755024946, 0xb184df7cdbb8cb17UL, 0.6393564834028351)]
    [InlineData("fraud", "café", 0x5b4aae72237b6315UL, 0.9542944558987437, 0xcdcd2e85e7030609UL, 0.18598438194468914)]
    public void Hashes_FixedModelAndKey_AreStableAcrossProcesses(
        string model, string key, ulong routing, double routingBucket, ulong mirror, double mirrorBucket)
    {
        Assert.Equal(routing, StableRoutingHash.RoutingHash(model, key));
        Assert.Equal(routingBucket, StableRoutingHash.ToUnitInterval(routing));
        Assert.Equal(mirror, StableRoutingHash.MirrorHash(model, key));
        Assert.Equal(mirrorBucket, StableRoutingHash.ToUnitInterval(mirror));
    }

    [Fact]
    public void RoutingHash_LongKeyBeyondStackBuffer_EqualsHashOfWholeUtf8()
    {
        var key = new string('é', 400);

        var hash = StableRoutingHash.RoutingHash("m", key);

        Assert.Equal(StableRoutingHash.Fnv1a64(Encoding.UTF8.GetBytes("m\n" + key)), hash);
    }
}
