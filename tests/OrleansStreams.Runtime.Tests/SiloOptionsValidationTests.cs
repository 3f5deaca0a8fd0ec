using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansStreams.Runtime.Hosting;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Runtime.Tests;

/// <summary>AddOrleansStreams on a user's silo: options set by an action or read from configuration, checked when the silo starts.</summary>
public sealed class SiloOptionsValidationTests
{
    [Fact]
    public async Task A_silo_with_invalid_options_does_not_start_and_names_themAsync()
    {
        using var host = SiloWith(silo => silo.AddOrleansStreams(o => (o.PollInterval, o.StateRoot) = (TimeSpan.Zero, " ")));

        var error = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());

        Assert.Contains("PollInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("StateRoot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_with_valid_options_starts_with_themAsync()
    {
        using var state = new TempDirectory();
        using var host = SiloWith(silo => silo.AddOrleansStreams(o => (o.StateRoot, o.BatchShutdownGrace) = (state.Path, TimeSpan.FromSeconds(3))));

        await host.StartAsync();
        try
        {
            var options = host.Services.GetRequiredService<OrleansStreamsSiloOptions>();
            Assert.Equal(state.Path, options.StateRoot);
            Assert.Equal(TimeSpan.FromSeconds(3), host.Services.GetRequiredService<OrleansStreamsEnvironment>().BatchShutdownGrace);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Configuration_sets_the_options_and_the_action_has_the_last_word()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansStreams:Silo:StateRoot"] = "/data/state",
            ["OrleansStreams:Silo:PollInterval"] = "00:00:02",
            ["OrleansStreams:Silo:AllowedLocations:0"] = "/data",
            ["OrleansStreams:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        }).Build();
        using var host = SiloWith(silo => silo.AddOrleansStreams(configuration, o => o.BatchShutdownGrace = TimeSpan.FromSeconds(1)));

        var options = host.Services.GetRequiredService<OrleansStreamsSiloOptions>();

        Assert.Equal("/data/state", options.StateRoot);
        Assert.Equal(TimeSpan.FromSeconds(2), options.PollInterval);
        Assert.Equal(["/data"], options.AllowedLocations);
        Assert.Equal("UseDevelopmentStorage=true", options.Storage.ConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BatchShutdownGrace);
        Assert.Empty(OrleansStreamsSiloOptionsValidator.Errors(options));
    }

    private static IHost SiloWith(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePorts.Next(), FreePorts.Next(), serviceId: "validation", clusterId: $"validation-{Guid.NewGuid():N}")
                .UseInMemoryReminderService();
            configure(silo);
        });
        return builder.Build();
    }
}
