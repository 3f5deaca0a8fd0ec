namespace OrleansStreams.Storage.Tests.Tables;

/// <summary>The system clock moved by <see cref="Offset"/>: lets a test age a table's commits and removes past a retention period.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
