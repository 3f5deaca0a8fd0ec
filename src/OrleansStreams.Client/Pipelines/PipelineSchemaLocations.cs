using System.Globalization;
using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Plans;

namespace OrleansStreams.Client.Pipelines;

/// <summary>
/// As a Delta Live Tables pipeline does, a streaming table manages the schema of the files it reads: a
/// <c>read_files</c> without <c>schema =&gt; '…'</c> or <c>schemaLocation</c> keeps its inferred schema's versions in
/// the table's checkpoint (<c>sources/&lt;i&gt;</c>, beside that source's file log).
/// </summary>
internal static class PipelineSchemaLocations
{
    /// <summary>The plan with a schema location on each file source that infers its schema; true when there is one.</summary>
    public static (LogicalPlan Plan, bool Infers) Manage(LogicalPlan plan, string checkpointLocation)
    {
        var infers = false;
        var managed = StreamingLeaves.Replace(plan, (i, leaf) =>
        {
            if (leaf is not DataSourceRelation { UserSchema: null } source || !Infers(source))
            {
                return leaf;
            }

            infers = true;
            if (Option(source, "schemaLocation") is not null)
            {
                return leaf;
            }

            var location = $"{checkpointLocation.TrimEnd('/')}/sources/{i.ToString(CultureInfo.InvariantCulture)}";
            return source with { Options = new EquatableDictionary(source.Options.Append(KeyValuePair.Create("cloudFiles.schemaLocation", location))) };
        });
        return (managed, infers);
    }

    /// <summary>Auto Loader sources of formats whose columns come from the files (text files have a fixed schema).</summary>
    private static bool Infers(DataSourceRelation source) =>
        source.Format.Equals("cloudFiles", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Option(source, "format"), "text", StringComparison.OrdinalIgnoreCase);

    private static string? Option(DataSourceRelation source, string key) => Runtime.Streaming.CloudFilesOptions.Find(source.Options, key);
}
