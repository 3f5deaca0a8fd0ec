// The silo host as an app; `orleans-streams silo` runs the same host through SiloHost.RunAsync.
return await OrleansStreams.Host.SiloHost.RunAsync(args);
