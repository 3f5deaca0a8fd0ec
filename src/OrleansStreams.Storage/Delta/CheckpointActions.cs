namespace OrleansStreams.Storage.Delta;

/// <summary>
/// The header of a V2-spec checkpoint (PROTOCOL.md, "Checkpoint Metadata"): the version it holds. Only in
/// checkpoints, never in commits; log replay ignores it.
/// </summary>
public sealed record CheckpointMetadataAction(long Version, IReadOnlyDictionary<string, string>? Tags = null) : DeltaAction;

/// <summary>
/// A V2-spec checkpoint's pointer to a sidecar file (<c>_delta_log/_sidecars/</c>) holding part of its add and
/// remove actions (PROTOCOL.md, "Sidecar File Information"). Readers load the sidecar in its place.
/// </summary>
public sealed record SidecarAction(string Path, long SizeInBytes, long ModificationTime, IReadOnlyDictionary<string, string>? Tags = null) : DeltaAction;
