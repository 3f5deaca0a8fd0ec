using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>Counters of the notification path (meter <c>OrleansStreams.Notifications</c>).</summary>
public static class NotificationMetrics
{
    public const string MeterName = "OrleansStreams.Notifications";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>("orleansstreams.notifications.messages_received");

    public static readonly Counter<long> FilesRouted = Meter.CreateCounter<long>("orleansstreams.notifications.files_routed");

    /// <summary>Unparseable or foreign messages, and messages that kept failing, moved to a poison queue.</summary>
    public static readonly Counter<long> MessagesPoisoned = Meter.CreateCounter<long>("orleansstreams.notifications.messages_poisoned");

    /// <summary>BlobCreated events for blobs outside every source reading the queue.</summary>
    public static readonly Counter<long> EventsUnmatched = Meter.CreateCounter<long>("orleansstreams.notifications.events_unmatched");

    /// <summary>Events that announce no complete file (Data Lake's CreateFile) and foreign events beside BlobCreated ones.</summary>
    public static readonly Counter<long> EventsIgnored = Meter.CreateCounter<long>("orleansstreams.notifications.events_ignored");

    /// <summary>Held messages hidden for another visibility timeout while their files wait for delivery.</summary>
    public static readonly Counter<long> VisibilityExtended = Meter.CreateCounter<long>("orleansstreams.notifications.visibility_extended");

    public static readonly Counter<long> MessagesDeleted = Meter.CreateCounter<long>("orleansstreams.notifications.messages_deleted");

    /// <summary>
    /// Where the notification path spends its time, one measurement per call, not per file (tag <c>stage</c>):
    /// <c>receive</c> (a queue receive), <c>route</c> (parsing and routing one receive's messages),
    /// <c>deliver</c> (a stream item from made to delivered: the stream's cache and the discovery grain's call),
    /// <c>log</c> (the discovery grain appending one item's files to its file log), <c>delete</c> (deleting
    /// the messages one delivery finished, in parallel).
    /// </summary>
    public static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("orleansstreams.notifications.stage_duration", "ms");

    /// <summary>Records the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) for a stage.</summary>
    public static void RecordStage(string stage, long started) =>
        StageDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));
}
