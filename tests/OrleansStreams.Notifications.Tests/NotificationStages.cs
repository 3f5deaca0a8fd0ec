using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Notifications.Tests;

/// <summary>The stages of the notification path that recorded a duration while it listened (the meter is process-wide).</summary>
internal sealed class NotificationStages : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, int> seen = new(StringComparer.Ordinal);

    public NotificationStages()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            // By name: the instrument is published while NotificationMetrics' fields are still being assigned.
            if (instrument.Meter.Name == NotificationMetrics.MeterName && instrument.Name == "orleansstreams.notifications.stage_duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "stage", Value: string stage })
                {
                    seen.AddOrUpdate(stage, 1, (_, n) => n + 1);
                }
            }
        });
        listener.Start();
    }

    public IReadOnlyCollection<string> Seen => seen.Keys.Order(StringComparer.Ordinal).ToList();

    public void Dispose() => listener.Dispose();
}
