using Microsoft.Extensions.Configuration;

namespace OrleansStreams.Host;

/// <summary>
/// The Event Grid webhook (section <c>OrleansStreams:Webhook</c>): mapped at <see cref="Path"/> when a
/// <see cref="QueueName"/> is set; the pushed events go to that queue, where the silos' notification stream
/// provider reads them like queue-delivered ones. Every request must carry <see cref="Secret"/>.
/// </summary>
public sealed record WebhookSettings
{
    public const string SectionName = "OrleansStreams:Webhook";

    /// <summary>The notification queue (in the provider's default account) the pushed events are written to.</summary>
    public string? QueueName { get; init; }

    /// <summary>From a secret store (a Container Apps secret, an environment variable); the subscription's URL carries it as <c>?code=</c>.</summary>
    public string? Secret { get; init; }

    public string Path { get; init; } = "/api/eventgrid";

    public bool Enabled => !string.IsNullOrWhiteSpace(QueueName);

    /// <summary>The settings, with a clear error for a webhook that would run open or could not deliver.</summary>
    public static WebhookSettings FromConfiguration(IConfiguration configuration, bool notificationsEnabled)
    {
        var settings = configuration.GetSection(SectionName).Get<WebhookSettings>() ?? new WebhookSettings();
        if (!settings.Enabled)
        {
            return settings;
        }

        if (string.IsNullOrEmpty(settings.Secret))
        {
            throw new InvalidOperationException($"{SectionName}:QueueName is set but {SectionName}:Secret is not: the Event Grid webhook will not run open");
        }

        if (!notificationsEnabled)
        {
            throw new InvalidOperationException(
                $"{SectionName}:QueueName is set but {NotificationSettings.SectionName}:Enabled is false: the webhook delivers through the notification stream provider");
        }

        if (!settings.Path.StartsWith('/'))
        {
            throw new InvalidOperationException($"{SectionName}:Path '{settings.Path}' must start with '/'");
        }

        return settings;
    }
}
