using Parquet;
using Parquet.Schema;

namespace OrleansStreams.Bench;

/// <summary>
/// Parquet.Net's own column API: each row group's columns converted from the Arrow batches
/// (<see cref="ArrowToParquetNet"/>) and written one after another. Parquet.Net dictionary-encodes only the columns
/// given a dictionary hint, so with none it writes PLAIN values as ours does.
/// </summary>
internal sealed class ParquetNetBenchWriter : IParquetBenchWriter
{
    public async Task<double> WriteAsync(string path, ParquetBenchCase input)
    {
        var fields = input.Schema.Fields.Select(ArrowToParquetNet.Field).ToArray();
        var options = new ParquetOptions { CompressionMethod = ParquetBenchSettings.Compression };
        var converting = 0.0;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, options))
        {
            foreach (var group in input.RowGroups(ParquetBenchSettings.RowGroupRows))
            {
                using var rowGroup = writer.CreateRowGroup();
                for (var c = 0; c < fields.Length; c++)
                {
                    var column = c;
                    converting += await ArrowToParquetNet.WriteAsync(rowGroup, fields[c], group.Select(b => b.Column(column)).ToList());
                }

                rowGroup.CompleteValidate();
            }
        }

        return converting;
    }
}
