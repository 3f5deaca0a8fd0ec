using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Host;

/// <summary>
/// OpenTelemetry export (section <c>OrleansStreams:Telemetry</c>): traces, metrics and logs go over OTLP when an
/// endpoint is set here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable.
/// </summary>
public sealed record TelemetrySettings
{
    public const string SectionName = "OrleansStreams:Telemetry";
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Grpc (port 4317) or HttpProtobuf (port 4318).</summary>
    public OpenTelemetry.Exporter.OtlpExportProtocol Protocol { get; init; } = OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;

    public string ServiceName { get; init; } = "orleans-streams-silo";

    /// <summary>Whether any exporter is configured.</summary>
    public bool Exports { get; init; }

    public static TelemetrySettings FromConfiguration(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<TelemetrySettings>() ?? new TelemetrySettings();
        return settings with { Exports = settings.OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(configuration[StandardEndpointVariable]) };
    }
}
