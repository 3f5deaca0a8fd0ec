using System.Globalization;
using OrleansStreams.CrossProcess.TestHost;

// Usage: <culture> plans <queries.json> | ingest <input> <warehouse> <checkpoint> <table> | routes <cases.json>
//        | append <table> <writer> <commits> <rows> [connection string] | optimize <table> <stop file> [connection string]
// The culture (e.g. de-DE, tr-TR, sv-SE) becomes the process's current culture before anything else runs.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: OrleansStreams.CrossProcess.TestHost <culture> plans|ingest|routes|append|optimize <arguments>");
    return 2;
}

var culture = CultureInfo.GetCultureInfo(args[0]);
CultureInfo.DefaultThreadCurrentCulture = culture;
CultureInfo.DefaultThreadCurrentUICulture = culture;
CultureInfo.CurrentCulture = culture;
CultureInfo.CurrentUICulture = culture;

switch (args[1])
{
    case "plans" when args.Length == 3:
        Console.Write(await PlanTexts.DescribeAsync(await File.ReadAllTextAsync(args[2])));
        return 0;
    case "ingest" when args.Length == 6:
        await PartitionedIngest.RunAsync(args[2], args[3], args[4], args[5]);
        return 0;
    case "routes" when args.Length == 3:
        Console.Write(NotificationRouting.Describe(await File.ReadAllTextAsync(args[2])));
        return 0;
    case "append" when args.Length is 6 or 7:
        await ConcurrentWriter.AppendAsync(args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args.Length == 7 ? args[6] : null);
        return 0;
    case "optimize" when args.Length is 4 or 5:
        await ConcurrentWriter.OptimizeAsync(args[2], args[3], args.Length == 5 ? args[4] : null);
        return 0;
    default:
        Console.Error.WriteLine($"unknown command or wrong arguments: {string.Join(' ', args[1..])}");
        return 2;
}
