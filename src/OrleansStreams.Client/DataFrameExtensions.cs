using OrleansStreams.Engine.DataFrames;

namespace OrleansStreams.Client;

/// <summary>The streaming side of a DataFrame, as PySpark's <c>df.writeStream</c>.</summary>
public static class DataFrameExtensions
{
    /// <summary>Starts describing the streaming query that writes this streaming DataFrame out: trigger, output mode, options and sink.</summary>
    /// <exception cref="InvalidOperationException">The DataFrame was not made by a <see cref="StreamingSession"/>.</exception>
    public static DataStreamWriter WriteStream(this DataFrame frame) =>
        new(frame, frame.Session as StreamingSession
            ?? throw new InvalidOperationException("This DataFrame does not come from a StreamingSession, so it cannot start a streaming query"));
}
