using System.CommandLine;
using System.Globalization;
using OrleansStreams.Cli.Demo;

namespace OrleansStreams.Cli.Commands;

/// <summary><c>orleans-streams demo</c>: the bookstore data and the seed's pipelines on an embedded silo.</summary>
internal static class DemoCommand
{
    public static Command Create(CliOptions options)
    {
        var data = new Option<string?>("--data") { Description = "Where the bookstore files go (default ./bookstore)", HelpName = "DIR" };
        var files = new Option<int?>("--files") { Description = "How many drops of files to generate: the first before the pipelines start, the others while they run (default 3)", HelpName = "N" };
        var ui = StreamsUiOption.Create();
        var command = new Command("demo", "Generate the bookstore data and watch the seed's pipelines run, embedded") { data, files, ui };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            var settings = options.Settings(result,
                (CliSettings.DemoDataKey, result.GetValue(data)),
                (CliSettings.DemoFilesKey, result.GetValue(files)?.ToString(CultureInfo.InvariantCulture)));
            if (settings.DemoFiles < 1)
            {
                throw new ArgumentException($"--files must be at least 1, not {settings.DemoFiles}");
            }

            await new BookstoreDemo(settings, console, settings.DemoData, settings.DemoFiles, result.GetValue(ui)).RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
