namespace OrleansStreams.Runtime.TestHost;

/// <summary>Where a scenario reads its input, keeps its tables and checkpoint, and writes its result table.</summary>
internal sealed record ScenarioPaths(string Input, string Warehouse, string Checkpoint, string Table);
