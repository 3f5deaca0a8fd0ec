using OrleansStreams.Soak;

return await SoakCommand.RunAsync(args, Console.Out);
