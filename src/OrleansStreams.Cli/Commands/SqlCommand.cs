using System.CommandLine;
using OrleansStreams.Cli.Output;
using OrleansStreams.Engine.Expressions.Time;
using OrleansStreams.Engine.Sql;

namespace OrleansStreams.Cli.Commands;

/// <summary>
/// <c>orleans-streams sql "STATEMENT[; …]"</c>: batch SQL over the warehouse's tables. Queries print their rows;
/// <c>SHOW TABLES</c>, <c>DESCRIBE [HISTORY | DETAIL] t</c>, <c>OPTIMIZE</c>, <c>VACUUM</c>, temp views and <c>SET</c> work as in Spark SQL.
/// </summary>
internal static class SqlCommand
{
    public static Command Create(CliOptions options)
    {
        var statement = new Argument<string>("STATEMENT") { Description = "One or more SQL statements separated by ';'" };
        var format = new Option<ResultFormat>("--format") { Description = "table (default), json (one object per row) or csv", DefaultValueFactory = _ => ResultFormat.Table };
        var command = new Command("sql", "Run batch SQL over the warehouse's tables") { statement, format };
        CommandRunner.SetAction(command, options, async (result, console, cancellationToken) =>
        {
            await using var session = options.Settings(result).CreateSession();
            var writer = new ResultWriter(console.Ansi, console.Output, ZoneRules.Utc);
            var catalog = new TableCatalog(session, console);
            foreach (var parsed in SqlParser.ParseScript(result.GetRequiredValue(statement)))
            {
                switch (parsed)
                {
                    case ShowTablesStatement:
                        await catalog.ListAsync(cancellationToken);
                        break;
                    case DescribeStatement { Kind: DescribeKind.History } history:
                        await catalog.HistoryAsync(history.Name.ToString(), cancellationToken);
                        break;
                    case DescribeStatement { Kind: DescribeKind.Table } describe:
                        await catalog.DescribeAsync(describe.Name.ToString(), cancellationToken);
                        break;
                    default:
                        if (session.Sql(parsed.Text) is { } frame)
                        {
                            var rows = await session.CollectAsync(frame, cancellationToken);
                            writer.Write(frame.Schema, rows, result.GetValue(format));
                        }

                        break;
                }
            }

            return 0;
        });
        return command;
    }
}
