using System.Globalization;

namespace OrleansStreams.Soak;

/// <summary>
/// The soak's command line: <c>--duration 30m</c> (how long files arrive and silos die), <c>--kill-every 20s</c> (the
/// mean time between kills; each is drawn from ±25% of it), <c>--fault-every 40</c> (one storage request in N is
/// disturbed), <c>--files-per-second 2</c>, <c>--rows-per-file 50</c> and <c>--seed 1</c> (kills and faults).
/// </summary>
public sealed record SoakOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(20);

    public int FaultEvery { get; init; } = 40;

    public double FilesPerSecond { get; init; } = 2;

    public int RowsPerFile { get; init; } = 50;

    public int Seed { get; init; } = 1;

    /// <summary>How long the pipeline may take to catch up once the input stops, before the soak fails.</summary>
    public TimeSpan CatchUpPatience { get; init; } = TimeSpan.FromMinutes(5);

    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            options = name switch
            {
                "--duration" => options with { Duration = Time(name, value) },
                "--kill-every" => options with { KillEvery = Time(name, value) },
                "--fault-every" => options with { FaultEvery = Whole(name, value, minimum: 2) },
                "--files-per-second" => options with { FilesPerSecond = Positive(name, value) },
                "--rows-per-file" => options with { RowsPerFile = Whole(name, value, minimum: 1) },
                "--seed" => options with { Seed = Whole(name, value, minimum: 0) },
                "--catch-up-patience" => options with { CatchUpPatience = Time(name, value) },
                _ => throw new ArgumentException($"unknown option {name}; the options are --duration, --kill-every, --fault-every, --files-per-second, --rows-per-file, --seed, --catch-up-patience"),
            };
        }

        return options;
    }

    /// <summary>A time as <c>90s</c>, <c>2m</c>, <c>1h</c> or <c>hh:mm:ss</c>.</summary>
    private static TimeSpan Time(string name, string value)
    {
        var unit = value.Length > 0 ? value[^1] : ' ';
        if (unit is 's' or 'm' or 'h' && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            return unit switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var time) && time > TimeSpan.Zero
            ? time
            : throw new ArgumentException($"{name} {value}: expected a time such as 90s, 2m, 1h or 00:30:00");
    }

    private static int Whole(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{name} {value}: expected a whole number of at least {minimum}");

    private static double Positive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} {value}: expected a number above 0");
}
