using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansStreams.Runtime.Notifications;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Host;

/// <summary>
/// The host's OpenTelemetry: the streaming runtime's spans and query metrics (input rows, batch duration, rows/s,
/// backlog), the notification path's (messages, files routed, stage durations), Orleans' own, ASP.NET Core's and the .NET runtime's, exported over OTLP when configured.
/// </summary>
public static class SiloTelemetry
{
    /// <summary>Orleans' instrumentation names.</summary>
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];
    private const string OrleansMeter = "Microsoft.Orleans";

    public static WebApplicationBuilder AddSiloTelemetry(this WebApplicationBuilder builder, TelemetrySettings settings)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName))
            .WithLogging(logging => { }, options => (options.IncludeScopes, options.IncludeFormattedMessage) = (true, true))
            .WithTracing(tracing => tracing
                .AddSource(StreamingTelemetry.Name)
                .AddSource(OrleansSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path)))
            .WithMetrics(metrics => metrics
                .AddMeter(StreamingTelemetry.Name, NotificationMetrics.MeterName, OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation());
        if (settings.OtlpEndpoint is { } endpoint)
        {
            telemetry.UseOtlpExporter(settings.Protocol, endpoint);
        }
        else if (settings.Exports)
        {
            telemetry.UseOtlpExporter(); // the standard OTEL_EXPORTER_OTLP_* variables say where and how
        }

        return builder;
    }

    /// <summary>Health probes run every few seconds: tracing them would drown the traces that matter.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
