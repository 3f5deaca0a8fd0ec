using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Host.Tests;

/// <summary>What the silo host's OpenTelemetry exports, read back through an in-memory exporter.</summary>
public sealed class SiloTelemetryTests
{
    [Fact]
    public void The_host_exports_the_notification_paths_counters_and_stage_durations()
    {
        var exported = new List<Metric>();
        var builder = WebApplication.CreateBuilder();
        builder.AddSiloTelemetry(new TelemetrySettings());
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
        using var app = builder.Build();
        var provider = app.Services.GetRequiredService<MeterProvider>();

        NotificationMetrics.MessagesReceived.Add(3);
        NotificationMetrics.RecordStage("receive", System.Diagnostics.Stopwatch.GetTimestamp());
        provider.ForceFlush();

        var names = exported.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("orleansstreams.notifications.messages_received", names);
        Assert.Contains("orleansstreams.notifications.stage_duration", names);
    }
}
