using Microsoft.Extensions.Configuration;
using OrleansStreams.Runtime.Notifications;

namespace OrleansStreams.Host;

/// <summary>
/// The notification stream provider for <c>cloudFiles.useNotifications</c> (section <c>OrleansStreams:Notifications</c>):
/// on unless <c>Enabled</c> is false, with <see cref="NotificationOptions"/> bound from the same section
/// (<c>PullingAgents</c>, <c>PollInterval</c>, <c>VisibilityTimeout</c>, <c>MaxDequeueCount</c>, <c>ConnectionString</c>, …).
/// </summary>
public static class NotificationSettings
{
    public const string SectionName = "OrleansStreams:Notifications";

    /// <summary>The provider's options, or null when the section turns it off.</summary>
    public static NotificationOptions? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (!section.GetValue("Enabled", defaultValue: true))
        {
            return null;
        }

        return section.Get<NotificationOptions>() ?? new NotificationOptions();
    }
}
