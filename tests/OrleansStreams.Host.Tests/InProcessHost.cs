using Microsoft.AspNetCore.Builder;
using OrleansStreams.TestSupport;

namespace OrleansStreams.Host.Tests;

/// <summary>The silo host app in this process (localhost clustering, its own ports and cluster id), started and ready.</summary>
internal static class InProcessHost
{
    public static async Task<(WebApplication App, string Url)> StartAsync(HttpClient http, TempDirectory temp, string environment, params string[] extra)
    {
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var app = SiloHost.Build(SiloHost.CreateBuilder([
            "--environment", environment,
            "--urls", url,
            $"--OrleansStreams:Cluster:ClusterId=host-{Guid.NewGuid():N}",
            $"--OrleansStreams:Cluster:SiloPort={FreePorts.Next()}",
            $"--OrleansStreams:Cluster:GatewayPort={FreePorts.Next()}",
            $"--OrleansStreams:Silo:StateRoot={temp.Combine("state")}",
            .. extra,
        ]));
        await app.StartAsync();
        await Polling.UntilAsync(async () => (await http.GetAsync($"{url}/readyz")).IsSuccessStatusCode, TimeSpan.FromMinutes(1), () => "the silo never became ready");
        return (app, url);
    }
}
