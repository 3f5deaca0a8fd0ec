using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OrleansStreams.Runtime.Notifications;

/// <summary>The files one pull found for one source, as an item of the source's discovery stream.</summary>
[GenerateSerializer]
public sealed class BlobEventBatchContainer(StreamId streamId, NotifiedFiles files, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;

    [Id(1)] public NotifiedFiles Files { get; } = files;

    [Id(2)] public EventSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Files is T item ? [Tuple.Create(item, (StreamSequenceToken)Token)] : [];

    public bool ImportRequestContext() => false;
}
