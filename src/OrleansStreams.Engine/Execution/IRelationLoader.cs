using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Reads ahead what the tables and sources of a plan hold (a Delta table's snapshot), so that compiling the plan
/// afterwards resolves them without waiting on storage: a grain must not block its scheduler on I/O.
/// </summary>
public interface IRelationLoader
{
    /// <summary>A resolver of every batch leaf of <paramref name="plan"/>, as read now; streaming leaves are their sources' to read.</summary>
    Task<IRelationProvider> LoadAsync(LogicalPlan plan, CancellationToken cancellationToken);
}
