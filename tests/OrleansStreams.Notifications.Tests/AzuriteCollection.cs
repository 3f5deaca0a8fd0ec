using OrleansStreams.TestSupport;

namespace OrleansStreams.Notifications.Tests;

/// <summary>One Azurite for every notification test class; the classes of the collection run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
