namespace OrleansStreams.Storage.Parquet;

/// <summary>Decimal values as unscaled integers with the file's scale (38 digits fit, unlike System.Decimal).</summary>
internal sealed record UnscaledDecimals(Int128[] Values, int Scale);
