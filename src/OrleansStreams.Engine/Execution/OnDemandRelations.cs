using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// A loader that reads nothing ahead: the relations resolve when a plan is compiled. For resolvers that hold
/// what they resolve (temp views, in-memory tables) or that answer a synchronous session API.
/// </summary>
public sealed class OnDemandRelations(IRelationProvider relations) : IRelationLoader
{
    public Task<IRelationProvider> LoadAsync(LogicalPlan plan, CancellationToken cancellationToken) => Task.FromResult(relations);
}
