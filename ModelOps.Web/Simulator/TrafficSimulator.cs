using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Demo;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Feedback;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Web.Simulator;

/// <summary>
/// Demo traffic for ctr-ranker through the real serving path. Synthetic users (sticky by user
/// id, with a region) arrive at the configured rate with features drawn for the simulated hour.
/// The served model decides whether the ad is shown (score ≥ <see cref="SimulatorOptions.ShowThreshold"/>);
/// a shown ad is clicked with the world's true probability and the outcome is posted as
/// feedback. So a model that mis-ranks (v3 at night scores everything near 0.5 and shows poor
/// ads) genuinely earns a lower click-through rate.
/// </summary>
public sealed partial class TrafficSimulator(
    ModelServer server,
    FeedbackRecorder feedback,
    IOptions<SimulatorOptions> options,
    Hosting.StartupState startup,
    TimeProvider time,
    ILogger<TrafficSimulator> logger) : BackgroundService
{
    private const int TicksPerSecond = 10;
    private readonly ClickWorld _world = new();
    private readonly Random _random = options.Value.Seed is { } seed ? new Random(seed) : new Random();
    // Simulated midnight: StartHour hours of the simulated day before now.
    private readonly DateTimeOffset _epoch = time.GetUtcNow() - TimeSpan.FromMinutes(options.Value.DayLengthMinutes * options.Value.StartHour / 24);
    private double _rate = options.Value.RequestsPerSecond;
    private bool _running = options.Value.Enabled ?? false; // defaulted to DemoMode when bound
    private long _sent;
    private long _failed;
    private long _shown;
    private long _clicks;

    public SimulatorStatus Status => new(_running, _rate, SimulatedHour(), Interlocked.Read(ref _sent), Interlocked.Read(ref _failed), Interlocked.Read(ref _shown), Interlocked.Read(ref _clicks));

    public void Start(double? requestsPerSecond = null)
    {
        if (requestsPerSecond is { } rate)
        {
            _rate = Math.Clamp(rate, 0, 5_000);
        }

        _running = true;
    }

    public void Stop() => _running = false;

    /// <summary>The hour of the simulated day now.</summary>
    public int SimulatedHour()
    {
        var now = time.GetUtcNow();
        var dayMinutes = options.Value.DayLengthMinutes;
        if (dayMinutes <= 0)
        {
            return now.Hour;
        }

        var elapsedDays = (now - _epoch).TotalMinutes / dayMinutes;
        return (int)((elapsedDays - Math.Floor(elapsedDays)) * 24) % 24;
    }

    /// <summary>Sends one synthetic request at <paramref name="hour"/> and its feedback; returns whether the ad was clicked.</summary>
    public async Task<bool?> SendOneAsync(int hour, CancellationToken cancellationToken)
    {
        ClickImpression impression;
        double click;
        lock (_random)
        {
            impression = _world.DrawImpression(hour, _random);
            click = _random.NextDouble();
        }

        Interlocked.Increment(ref _sent);
        var request = new PredictRequest(options.Value.Model, impression.ToFeatures(), impression.UserId, impression.Region);
        var answer = await server.PredictAsync(request, cancellationToken);
        if (!answer.IsSuccess)
        {
            Interlocked.Increment(ref _failed);
            return null;
        }

        if (!options.Value.Shows(answer.Value.Score))
        {
            return null;
        }

        Interlocked.Increment(ref _shown);
        var clicked = click < _world.TrueClickProbability(impression);
        if (clicked)
        {
            Interlocked.Increment(ref _clicks);
        }

        await feedback.RecordAsync(answer.Value.RequestId, clicked ? 1 : 0, cancellationToken);
        return clicked;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!startup.IsReady && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond), time);
        var owed = 0.0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_running)
                {
                    owed = 0;
                    continue;
                }

                owed += _rate / TicksPerSecond;
                var count = (int)Math.Floor(owed);
                owed -= count;
                var hour = SimulatedHour();
                for (var i = 0; i < count; i++)
                {
                    await SendOneAsync(hour, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Log.Stopped(logger, Interlocked.Read(ref _sent));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Traffic simulator stopped after {Sent} requests")]
        public static partial void Stopped(ILogger logger, long sent);
    }
}
