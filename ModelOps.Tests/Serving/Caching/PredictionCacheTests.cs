using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelOps.Inference.Serving.Caching;

namespace ModelOps.Tests.Serving.Caching;

public sealed class PredictionCacheTests
{
    private const string Model = "ctr-ranker";
    private const string Encoder = "ctr-features@2";

    [Fact]
    public void TryGet_AfterSetAndForUnseenInput_CountsOneHitAndOneMiss()
    {
        var cache = NewCache();
        cache.Set(Model, 1, "sha-a", Encoder, [1f, 2f], [0.7f]);

        var hit = cache.TryGet(Model, 1, "sha-a", Encoder, [1f, 2f], out var outputs);
        var miss = cache.TryGet(Model, 1, "sha-a", Encoder, [1f, 3f], out _);

        Assert.True(hit);
        Assert.False(miss);
        Assert.Equal([0.7f], outputs);
        Assert.Equal(new CacheStats(Model, 1, 1, 1, 1, 0.5), Assert.Single(cache.Stats()));
    }

    [Fact]
    public void TryGet_OtherVersionWithSameEncoderAndInput_Misses()
    {
        var cache = NewCache();
        cache.Set(Model, 1, "sha-a", Encoder, [1f, 2f], [0.7f]);

        var hit = cache.TryGet(Model, 2, "sha-b", Encoder, [1f, 2f], out _);

        Assert.False(hit);
    }

    [Fact]
    public void TryGet_SameVersionOtherEncoder_Misses()
    {
        var cache = NewCache();
        cache.Set(Model, 1, "sha-a", "ctr-features@1", [1f, 2f], [0.7f]);

        Assert.False(cache.TryGet(Model, 1, "sha-a", Encoder, [1f, 2f], out _));
    }

    [Fact]
    public void TryGet_HashCollisionWithOtherInput_MissesAndNeverReturnsTheOtherPrediction()
    {
        var cache = NewCache(hash: _ => 42);
        cache.Set(Model, 1, "sha-a", Encoder, [1f, 2f], [0.7f]);

        var collided = cache.TryGet(Model, 1, "sha-a", Encoder, [9f, 9f], out var outputs);
        var original = cache.TryGet(Model, 1, "sha-a", Encoder, [1f, 2f], out var originalOutputs);

        Assert.False(collided);
        Assert.Empty(outputs);
        Assert.True(original);
        Assert.Equal([0.7f], originalOutputs);
    }

    [Fact]
    public void Set_HashCollisionWithOtherInput_NewerInputWinsAndOlderMisses()
    {
        var cache = NewCache(hash: _ => 42);
        cache.Set(Model, 1, "sha-a", Encoder, [1f, 2f], [0.7f]);

        cache.Set(Model, 1, "sha-a", Encoder, [9f, 9f], [0.1f]);

        Assert.True(cache.TryGet(Model, 1, "sha-a", Encoder, [9f, 9f], out var outputs));
        Assert.Equal([0.1f], outputs);
        Assert.False(cache.TryGet(Model, 1, "sha-a", Encoder, [1f, 2f], out _));
    }

    [Fact]
    public void TryGet_NegativeZeroAgainstStoredPositiveZero_Misses()
    {
        // Compare is bitwise: -0 and +0 are equal floats but can give a model different outputs (1/x).
        var cache = NewCache(hash: _ => 42);
        cache.Set(Model, 1, "sha-a", Encoder, [0f], [0.7f]);

        Assert.False(cache.TryGet(Model, 1, "sha-a", Encoder, [-0f], out _));
    }

    [Fact]
    public void Set_CallerReusesBuffers_StoredEntryUnchanged()
    {
        var cache = NewCache();
        float[] input = [1f, 2f];
        float[] outputs = [0.7f];
        cache.Set(Model, 1, "sha-a", Encoder, input, outputs);

        outputs[0] = 0.1f;
        input[0] = 5f;

        Assert.True(cache.TryGet(Model, 1, "sha-a", Encoder, [1f, 2f], out var stored));
        Assert.Equal([0.7f], stored);
    }

    [Fact]
    public void Cache_DisabledModel_NeverStoresOrCounts()
    {
        var cache = NewCache();
        cache.Set("fraud", 1, "sha-a", null, [1f], [0.7f]);

        var hit = cache.TryGet("fraud", 1, "sha-a", null, [1f], out _);

        Assert.False(cache.IsEnabled("fraud"));
        Assert.False(hit);
        Assert.Empty(cache.Stats());
    }

    [Fact]
    public void Set_BeyondCapacity_KeepsEntriesAtTheBoundAndKeepsReferencedEntry()
    {
        var cache = NewCache(capacity: 4);
        cache.Set(Model, 1, "sha-a", Encoder, [0f], [0f]);
        Assert.True(cache.TryGet(Model, 1, "sha-a", Encoder, [0f], out _));

        for (var i = 1; i <= 4; i++)
        {
            cache.Set(Model, 1, "sha-a", Encoder, [i], [i]);
        }

        Assert.Equal(4, Assert.Single(cache.Stats()).Entries);
        Assert.True(cache.TryGet(Model, 1, "sha-a", Encoder, [0f], out _));
        Assert.False(cache.TryGet(Model, 1, "sha-a", Encoder, [1f], out _));
    }

    [Fact]
    public async Task Set_EightConcurrentWriters_NeverExceedTheBound()
    {
        const int capacity = 500;
        var cache = NewCache(capacity: capacity);
        var largest = 0;

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                float[] input = [w, i];
                cache.Set(Model, 1, "sha-a", Encoder, input, [i]);
                cache.TryGet(Model, 1, "sha-a", Encoder, input, out _);
                if (i % 100 == 0)
                {
                    InterlockedMax(ref largest, cache.Stats()[0].Entries);
                }
            }
        }));
        await Task.WhenAll(writers);

        Assert.InRange(largest, 1, capacity);
        Assert.Equal(capacity, cache.Stats()[0].Entries);
    }

    [Fact]
    public void Evict_Digest_DropsOnlyThatVersion()
    {
        var cache = NewCache();
        cache.Set(Model, 1, "sha-a", Encoder, [1f], [0.1f]);
        cache.Set(Model, 2, "sha-b", Encoder, [1f], [0.2f]);

        var dropped = cache.Evict("sha-a");

        Assert.Equal(1, dropped);
        Assert.False(cache.TryGet(Model, 1, "sha-a", Encoder, [1f], out _));
        Assert.True(cache.TryGet(Model, 2, "sha-b", Encoder, [1f], out _));
    }

    [Fact]
    public async Task Prewarm_RecentInputs_AddsEachDistinctInputAndLaterLookupsHit()
    {
        var cache = NewCache();
        float[][] recent = [[1f, 2f], [3f, 4f], [1f, 2f]];
        var runs = 0;

        var added = await cache.PrewarmAsync(Model, 3, "sha-c", Encoder, recent, input =>
        {
            runs++;
            return ValueTask.FromResult<float[]>([input[0] + input[1]]);
        }, CancellationToken.None);

        Assert.Equal(2, added);
        Assert.Equal(2, runs);
        Assert.True(cache.TryGet(Model, 3, "sha-c", Encoder, [3f, 4f], out var outputs));
        Assert.Equal([7f], outputs);
        Assert.Equal(new CacheStats(Model, 3, 1, 0, 2, 1), Assert.Single(cache.Stats()));
    }

    [Fact]
    public async Task Prewarm_MoreInputsThanCapacity_StopsWhenFull()
    {
        var cache = NewCache(capacity: 3);
        var recent = Enumerable.Range(0, 10).Select(i => new float[] { i }).ToList();

        var added = await cache.PrewarmAsync(Model, 1, "sha-a", null, recent, i => ValueTask.FromResult(i), CancellationToken.None);

        Assert.Equal(3, added);
    }

    [Fact]
    public async Task Prewarm_DisabledModel_AddsNothing()
    {
        var cache = NewCache();

        var added = await cache.PrewarmAsync("fraud", 1, "sha-a", null, [[1f]], i => ValueTask.FromResult(i), CancellationToken.None);

        Assert.Equal(0, added);
        Assert.Empty(cache.Stats());
    }

    [Fact]
    public void TryGet_Hit_DoesNotAllocate()
    {
        var cache = NewCache();
        float[] input = [1f, 2f, 3f];
        cache.Set(Model, 1, "sha-a", Encoder, input, [0.7f]);
        cache.TryGet(Model, 1, "sha-a", Encoder, input, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            cache.TryGet(Model, 1, "sha-a", Encoder, input, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AddPredictionCache_ZeroCapacity_FailsValidation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ModelOps:Inference:Cache:MaxEntriesPerVersion"] = "0" })
            .Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddPredictionCache()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<PredictionCache>());

        Assert.Contains("MaxEntriesPerVersion", error.Message);
    }

    private static PredictionCache NewCache(int capacity = 100, InputHasher? hash = null)
    {
        var options = Options.Create(new PredictionCacheOptions { Models = [Model], MaxEntriesPerVersion = capacity });
        return hash is null ? new PredictionCache(options) : new PredictionCache(options, hash);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
