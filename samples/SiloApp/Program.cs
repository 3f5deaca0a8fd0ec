// An ASP.NET Core app that runs its own Orleans silo, with the streaming runtime added by AddOrleansStreams.
// Settings come from the usual places: OrleansStreams:Cluster (ClusterId, SiloPort, GatewayPort...) for the cluster,
// OrleansStreams:Silo:StateRoot for the runtime's grain state; e.g. --OrleansStreams:Cluster:GatewayPort=30000.
using OrleansStreams.Clustering;
using OrleansStreams.Runtime.Hosting;

var builder = WebApplication.CreateBuilder(args);
var cluster = ClusterSettings.FromConfiguration(builder.Configuration);

builder.UseOrleans(silo => silo
    .UseClusterSettings(cluster)
    .UseInMemoryReminderService()
    .AddOrleansStreams(options =>
    {
        options.StateRoot = builder.Configuration["OrleansStreams:Silo:StateRoot"] ?? "state";
        options.PollInterval = TimeSpan.FromMilliseconds(100);
    }));

var app = builder.Build();
app.MapGet("/", () => $"OrleansStreams silo of cluster '{cluster.ClusterId}', gateway port {cluster.GatewayPort}");
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Silo started: gateway port {cluster.GatewayPort}"));
await app.RunAsync();
