using System.Net;
using System.Net.Sockets;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder between one app process and its PostgreSQL server, so a test can cut
/// that one process off the database (<see cref="Sever"/>: open connections reset, new ones
/// refused) and give it back (<see cref="Restore"/>, same port) while PostgreSQL keeps serving
/// everyone else, as a network partition between one machine and the database would. A partition
/// that drops packets instead of refusing them is <see cref="Freeze"/>: connections stay open and new
/// ones are accepted, but no byte passes either way until <see cref="Thaw"/>.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _disposed = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private TaskCompletionSource _thawed = Thawed();

    private TcpForwarder(IPEndPoint target, int port)
    {
        _target = target;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Forwards a free loopback port to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static TcpForwarder Start(string host, int port)
    {
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Loopback;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var local = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var forwarder = new TcpForwarder(new IPEndPoint(address, port), local);
        forwarder.Restore();
        return forwarder;
    }

    /// <summary>Stops listening and resets every forwarded connection.</summary>
    public void Sever()
    {
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var client in _open)
            {
                try
                {
                    client.Client.LingerState = new LingerOption(true, 0); // RST, as a dropped link looks to the far end
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or NullReferenceException)
                {
                    // Closing on its own already.
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>From now on no byte passes in either direction and new connections hang after the handshake; nothing is closed.</summary>
    public void Freeze() => Interlocked.CompareExchange(ref _thawed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), _thawed);

    /// <summary>Bytes held back by <see cref="Freeze"/> go on.</summary>
    public void Thaw() => _thawed.TrySetResult();

    /// <summary>Listens again on the same port.</summary>
    public void Restore()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _accepting = AcceptAsync(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        Sever();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _disposed.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_disposed.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // severed or disposed
            }

            _ = PipeAsync(inbound);
        }
    }

    private static TaskCompletionSource Thawed()
    {
        var thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        thawed.SetResult();
        return thawed;
    }

    /// <summary>Copies until either side closes, holding each chunk while frozen.</summary>
    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _disposed.Token)) > 0)
        {
            await _thawed.Task.WaitAsync(_disposed.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _disposed.Token);
        }
    }

    private async Task PipeAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await _thawed.Task.WaitAsync(_disposed.Token);
            await outbound.ConnectAsync(_target, _disposed.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(CopyAsync(a, b), CopyAsync(b, a));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away (or the test severed the link): close both.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
