using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Host;

/// <summary>The silo's own settings (section <c>OrleansStreams:Silo</c>): where grain state lives and how shutdown goes.</summary>
public sealed record SiloHostSettings
{
    public const string SectionName = "OrleansStreams:Silo";

    /// <summary>
    /// The registries' grain state on localhost clustering: a local folder or a Blob location. On Azure Table clustering
    /// the registries live in Orleans' Azure Blob grain storage instead (container <c>OrleansStreams:Cluster:GrainStateContainer</c>).
    /// </summary>
    public string StateRoot { get; init; } = "state";

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a running batch may go on after shutdown starts before it is abandoned (and replayed elsewhere).</summary>
    public TimeSpan BatchShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The period of each running query's resume reminder: a query whose silo died resumes on another within the
    /// membership's failure detection plus this period (Orleans' minimum reminder period is lowered to it when shorter).
    /// </summary>
    public TimeSpan ResumeReminderPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the whole host may take to stop: the batch grace plus the silo leaving the cluster.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(25);

    public static SiloHostSettings FromConfiguration(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<SiloHostSettings>() ?? new SiloHostSettings();
}
