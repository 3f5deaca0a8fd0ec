using OrleansStreams.Client;
using OrleansStreams.Engine.DataFrames;

namespace OrleansStreams.Runtime.TestHost.Scenarios;

/// <summary>
/// The JSON events the stateful scenarios read (the tests write them): a row id, one key column per key type,
/// an event time ts and a value v. One file per batch, oldest first, so a run has several batches to be killed in.
/// Public for the tests, which compute the expected answers over the same files.
/// </summary>
public static class Events
{
    public const string Schema =
        "id LONG, k STRING, b BINARY, l LONG, d DOUBLE, m DECIMAL(12,2), dt DATE, t TIMESTAMP, s STRUCT<name: STRING, n: LONG>, nk STRING, ts TIMESTAMP, v LONG";

    internal static DataFrame Read(StreamingSession spark, ScenarioPaths paths) =>
        spark.ReadStream
            .Format("cloudFiles")
            .Option("cloudFiles.format", "json")
            .Option("cloudFiles.maxFilesPerTrigger", 1)
            .Schema(Schema)
            .Load(paths.Input);
}
