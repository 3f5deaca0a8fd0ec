namespace OrleansStreams.Engine.Sql;

/// <summary>A parsed statement that cannot become a plan (a missing required argument, an unsupported form).</summary>
public sealed class SqlPlanException(string message) : Exception(message);
