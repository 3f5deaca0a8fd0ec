using System.Diagnostics;
using System.Text.Json.Nodes;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Bench;

/// <summary>
/// The engine's batch hot paths over in-memory Arrow batches of one million rows: project + filter,
/// and groupBy-count with 1 K and with 1 M distinct keys.
/// </summary>
internal static class EngineBench
{
    private const int BatchRows = 1_000_000;
    private static readonly StructType Schema = DdlParser.ParseSchema("key1k BIGINT, key1m BIGINT, value DOUBLE, name STRING");

    public static async Task<JsonObject> RunAsync(int rows)
    {
        var batches = Generate(rows);
        var session = new QuerySession(NoTables.Instance);
        session.CreateDataFrame(Schema, batches, "t").CreateOrReplaceTempView("t");

        var result = new JsonObject { ["rows"] = rows };
        result["projectFilter"] = await MeasureAsync(session, rows, "SELECT key1k, value * 2 AS doubled, upper(name) AS shout FROM t WHERE value > 0.5");
        result["groupByCount1K"] = await MeasureAsync(session, rows, "SELECT key1k, count(*) AS n FROM t GROUP BY key1k");
        result["groupByCount1M"] = await MeasureAsync(session, rows, "SELECT key1m, count(*) AS n FROM t GROUP BY key1m");
        return result;
    }

    private static async Task<JsonObject> MeasureAsync(QuerySession session, int rows, string sql)
    {
        var frame = session.Sql(sql)!;
        await session.CollectAsync(frame); // warm up: JIT and caches
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var output = await session.CollectAsync(frame);
        watch.Stop();
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var figures = new JsonObject
        {
            ["sql"] = sql,
            ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
            ["rowsPerSec"] = Math.Round(rows / watch.Elapsed.TotalSeconds),
            ["cpuSeconds"] = Math.Round(cpuSeconds, 3),
            ["outputRows"] = output.Sum(b => b.Length),
            ["allocatedMbPerMillionRows"] = Math.Round(allocated / 1e6 / (rows / 1e6), 1),
            ["peakWorkingSetMb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1_000_000,
        };
        Console.Error.WriteLine($"{sql}\n  {figures["rowsPerSec"]} rows/s, {figures["seconds"]} s, {figures["cpuSeconds"]} CPU s");
        return figures;
    }

    private static List<RecordBatch> Generate(int rows)
    {
        var random = new Random(42);
        var names = Enumerable.Range(0, 100).Select(i => System.Text.Encoding.UTF8.GetBytes($"name-{i}")).ToArray();
        var batches = new List<RecordBatch>();
        for (var start = 0; start < rows; start += BatchRows)
        {
            var n = Math.Min(BatchRows, rows - start);
            var key1k = new PrimitiveColumn<long>(n);
            var key1m = new PrimitiveColumn<long>(n);
            var value = new PrimitiveColumn<double>(n);
            var name = new Utf8Column(n, n * 8);
            for (var i = 0; i < n; i++)
            {
                key1k.Values[i] = random.Next(1_000);
                key1m.Values[i] = random.Next(1_000_000);
                value.Values[i] = random.NextDouble();
                name.Append(names[random.Next(names.Length)]);
            }

            batches.Add(new RecordBatch(ArrowTypes.ToArrowSchema(Schema), [
                key1k.Build(Apache.Arrow.Types.Int64Type.Default), key1m.Build(Apache.Arrow.Types.Int64Type.Default),
                value.Build(Apache.Arrow.Types.DoubleType.Default), name.Build(Apache.Arrow.Types.StringType.Default)], n));
        }

        return batches;
    }
}
