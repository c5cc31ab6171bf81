using System.Threading.Channels;

namespace ModelOps.Inference.Serving.Mirroring;

/// <summary>
/// Bounded hand-off of mirrored requests. Policy when full: the mirror copy is dropped and
/// counted (<see cref="Dropped"/>); the live request is never delayed or failed by mirroring.
/// </summary>
public sealed class ShadowQueue(int capacity = 1_024)
{
    private readonly Channel<ShadowWork> _channel = Channel.CreateBounded<ShadowWork>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false });

    private long _enqueued;
    private long _dropped;

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Depth => _channel.Reader.Count;

    public ChannelReader<ShadowWork> Reader => _channel.Reader;

    public void Offer(ShadowWork work)
    {
        if (_channel.Writer.TryWrite(work))
        {
            Interlocked.Increment(ref _enqueued);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Complete() => _channel.Writer.TryComplete();
}
