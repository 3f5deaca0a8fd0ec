using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansStreams.Clustering;
using OrleansStreams.Host.StreamsUi;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.Storage.ObjectStore;
using OrleansStreams.Webhook;

namespace OrleansStreams.Host;

/// <summary>
/// The silo host: an ASP.NET Core app around an Orleans silo running the streaming runtime. Configuration comes
/// from appsettings.json, environment variables (<c>OrleansStreams__Cluster__ClusterId</c>) and the command line.
/// Endpoints: <c>/healthz</c> (the process answers), <c>/readyz</c> (the silo is active in the cluster), the
/// Orleans Dashboard at <c>/dashboard</c>, the streams UI at <c>/streams</c> (its JSON API under <c>/streams/api/</c>) and, when configured, the Event Grid webhook at <c>/api/eventgrid</c>. The app and the CLI's <c>silo</c> command both start it with
/// <see cref="RunAsync"/>; <see cref="CreateBuilder"/> and <see cref="Build"/> let a caller add services or endpoints.
/// </summary>
public static class SiloHost
{
    /// <summary>Runs the host until <paramref name="cancellationToken"/> fires or the process is asked to stop (SIGTERM, Ctrl+C).</summary>
    /// <param name="settingsFolder">A folder whose appsettings.json ranks below the current folder's (the CLI's tool folder).</param>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default, string? settingsFolder = null)
    {
        await using var app = Build(CreateBuilder(args, settingsFolder));
        await ((IHost)app).RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The configured builder: logging, telemetry, the silo with its clustering and storage, health checks, dashboard auth.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? settingsFolder = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        SiloHostDefaults.Apply(configuration, builder.Environment.EnvironmentName, settingsFolder);
        var cluster = ClusterSettings.FromConfiguration(configuration);
        var silo = SiloHostSettings.FromConfiguration(configuration);
        var dashboard = DashboardSettings.FromConfiguration(configuration);
        var notifications = NotificationSettings.FromConfiguration(configuration);
        var webhook = WebhookSettings.FromConfiguration(configuration, notificationsEnabled: notifications is not null);

        if (!builder.Environment.IsDevelopment())
        {
            // Structured logs: one JSON object per line, with scopes and UTC timestamps, for Log Analytics and friends.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => (o.IncludeScopes, o.UseUtcTimestamp, o.TimestampFormat) = (true, true, "O"));
        }

        builder.AddSiloTelemetry(TelemetrySettings.FromConfiguration(configuration));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = silo.ShutdownTimeout);

        builder.UseOrleans(orleans =>
        {
            orleans.UseClusterSettings(cluster);
            var registriesInClusterStorage = orleans.UseClusterStorage(cluster);
            orleans.Services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection("OrleansStreams:Membership"));
            orleans.Services.AddOptions<GrainCollectionOptions>().Bind(configuration.GetSection("OrleansStreams:GrainCollection"));
            orleans.AddActivityPropagation();
            orleans.AddOrleansStreams(o =>
            {
                o.StateRoot = silo.StateRoot;
                o.Storage = StorageOptions.FromConfiguration(configuration);
                o.PollInterval = silo.PollInterval;
                o.BatchShutdownGrace = silo.BatchShutdownGrace;
                o.Notifications = notifications;
                o.AllowedLocations = AllowedLocationSettings.FromConfiguration(configuration, builder.Environment.IsDevelopment(), silo.StateRoot);
                o.HostProvidesRegistryStorage = registriesInClusterStorage;
                o.ResumeReminderPeriod = silo.ResumeReminderPeriod;
                o.ResumeRunningQueriesOnStart = true;
            });
            if (dashboard.Enabled)
            {
                orleans.AddDashboard();
            }
        });

        builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [SiloReadinessCheck.Tag]);
        builder.Services.AddSingleton(dashboard);
        builder.Services.AddSingleton(services => StreamsUiSource.Of(services.GetRequiredService<IGrainFactory>()));
        builder.Services.AddSingleton(webhook);
        if (webhook.Enabled)
        {
            builder.Services.AddEventGridWebhook(o => (o.QueueName, o.Secret) = (webhook.QueueName!, webhook.Secret));
        }

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DashboardBasicAuthentication>(DashboardBasicAuthentication.SchemeName, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DashboardBasicAuthentication.Policy, policy => policy
                .AddAuthenticationSchemes(DashboardBasicAuthentication.SchemeName)
                .RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>Builds the app and maps the host's endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSiloEndpoints();
        return app;
    }

    /// <summary>The health probes, the dashboard and the streams UI (behind the dashboard's authentication outside Development) and the webhook when configured.</summary>
    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(SiloReadinessCheck.Tag) });

        var dashboard = app.Services.GetRequiredService<DashboardSettings>();
        if (dashboard.Enabled)
        {
            var endpoints = app.MapOrleansDashboard(DashboardSettings.Path);
            if (!app.Environment.IsDevelopment())
            {
                endpoints.RequireAuthorization(DashboardBasicAuthentication.Policy);
                if (string.IsNullOrEmpty(dashboard.Password))
                {
                    app.Logger.LogWarning("{Section}:Password is not set: the dashboard at {Path} refuses every request", DashboardSettings.SectionName, DashboardSettings.Path);
                }
            }
        }

        // The streams UI shows what queries read and write: it asks for the dashboard's account as the dashboard does.
        var streams = app.MapStreamsUi();
        if (!app.Environment.IsDevelopment())
        {
            streams.RequireAuthorization(DashboardBasicAuthentication.Policy);
        }

        var webhook = app.Services.GetRequiredService<WebhookSettings>();
        if (webhook.Enabled)
        {
            app.MapEventGridWebhook(webhook.Path);
        }

        return app;
    }
}
