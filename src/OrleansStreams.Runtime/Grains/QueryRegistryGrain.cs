using OrleansStreams.Runtime.Hosting;

namespace OrleansStreams.Runtime.Grains;

/// <inheritdoc cref="IQueryRegistryGrain"/>
public sealed class QueryRegistryGrain(
    [PersistentState("registry", OrleansStreamsSilo.CheckpointStorage)] IPersistentState<QueryRegistryState> state) : Grain, IQueryRegistryGrain
{
    public async Task RegisterAsync(QueryRegistration registration)
    {
        if (registration.Name is { } name
            && state.State.Queries.Values.FirstOrDefault(q => q.Running && q.Name == name && q.CheckpointLocation != registration.CheckpointLocation) is { } holder)
        {
            // Only framework exception types cross the grain boundary reliably.
            throw new InvalidOperationException(
                $"A query named '{name}' is already running on the checkpoint location {holder.CheckpointLocation}; stop it or choose another queryName");
        }

        state.State.Queries[registration.CheckpointLocation] = registration with { Running = true, StoppedAt = null, Error = null };
        await state.WriteStateAsync();
    }

    public async Task MarkStoppedAsync(string checkpointLocation, string? error)
    {
        if (state.State.Queries.TryGetValue(checkpointLocation, out var query) && query.Running)
        {
            state.State.Queries[checkpointLocation] = query with { Running = false, StoppedAt = DateTimeOffset.UtcNow, Error = error };
            await state.WriteStateAsync();
        }
    }

    public Task<QueryRegistration[]> ListAsync() =>
        Task.FromResult(state.State.Queries.Values.OrderBy(q => q.Name ?? q.CheckpointLocation, StringComparer.Ordinal).ToArray());

    public Task<QueryRegistration?> FindAsync(string queryName) =>
        Task.FromResult(state.State.Queries.Values.Where(q => q.Name == queryName).OrderByDescending(q => q.Running).ThenByDescending(q => q.StartedAt).FirstOrDefault());
}
