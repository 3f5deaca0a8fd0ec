namespace OrleansStreams.Bench;

/// <summary>
/// A Parquet writer in the Parquet part: writes a case's batches to a file, with the settings ours uses
/// (<see cref="ParquetBenchSettings"/>).
/// </summary>
internal interface IParquetBenchWriter
{
    /// <summary>Writes the file; returns the seconds of it spent fitting our batches to the writer (concatenating or converting them).</summary>
    Task<double> WriteAsync(string path, ParquetBenchCase input);
}
