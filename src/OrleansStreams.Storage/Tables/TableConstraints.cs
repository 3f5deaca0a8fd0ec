using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Sql;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// The row rules a Delta table sets for writers: CHECK constraints (<c>delta.constraints.&lt;name&gt;</c>
/// table properties) and column invariants (<c>delta.invariants</c> field metadata), each bound once
/// with the engine's SQL expressions and evaluated on every batch before it is written.
/// A row passes only when a rule evaluates to TRUE: the protocol (and Delta's CheckDeltaInvariant)
/// treat NULL as a violation, unlike a SQL CHECK constraint.
/// </summary>
internal sealed class TableConstraints
{
    private readonly string table;
    private readonly List<Rule> rules;

    private TableConstraints(string table, List<Rule> rules)
    {
        this.table = table;
        this.rules = rules;
    }

    public bool IsEmpty => rules.Count == 0;

    /// <summary>The rules in force on <paramref name="snapshot"/>, bound to <paramref name="tableSchema"/> (the schema batches are aligned to).</summary>
    public static TableConstraints For(DeltaSnapshot snapshot, StructType tableSchema)
    {
        var rules = new List<Rule>();
        if (TableFeatures.EnforcesCheckConstraints(snapshot.Protocol))
        {
            foreach (var (key, sql) in snapshot.Metadata.Configuration.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (key.StartsWith(TableFeatures.ConstraintPropertyPrefix, StringComparison.Ordinal))
                {
                    var name = key[TableFeatures.ConstraintPropertyPrefix.Length..];
                    rules.Add(Bind(snapshot.Table, $"CHECK constraint {name}", sql, tableSchema));
                }
            }
        }

        if (TableFeatures.EnforcesInvariants(snapshot.Protocol))
        {
            CollectInvariants(snapshot.Table, tableSchema, string.Empty, tableSchema, rules);
        }

        return new TableConstraints(snapshot.Table, rules);
    }

    /// <summary>Throws <see cref="DeltaWriteRefusedException"/> naming the first rule a row of <paramref name="batch"/> breaks.</summary>
    public void Check(RecordBatch batch)
    {
        foreach (var rule in rules)
        {
            // A rule bound as boolean yields a BooleanArray; anything else (an all-NULL literal) is NULL throughout.
            var result = rule.Predicate.Evaluate(batch);
            var booleans = result as BooleanArray;
            for (var row = 0; row < batch.Length; row++)
            {
                var value = booleans?.GetValue(row);
                if (value != true)
                {
                    var outcome = value is null ? "NULL" : "false";
                    throw new DeltaWriteRefusedException(
                        $"Delta table {table}: {rule.Name} ({rule.Sql}) is violated: it is {outcome} for row {row} of the batch written " +
                        $"({string.Join(", ", rule.Columns.Select(c => $"{c.Name} = {c.Text(batch, row)}"))}); nothing was committed");
                }
            }
        }
    }

    private static Rule Bind(string table, string name, string sql, StructType schema)
    {
        try
        {
            var parsed = SqlParser.ParseExpression(sql);
            var bound = Analyzer.Bind(parsed, schema);
            if (bound.Type is not BooleanType)
            {
                throw new DeltaLogException($"Delta table {table}: {name} ({sql}) is of type {bound.Type.SimpleString}, not boolean");
            }

            // The columns the rule reads, shown with their values when a row breaks it (as Delta's message does).
            var columns = ExpressionWalker.DescendantsAndSelf(parsed).OfType<ColumnRef>()
                .DistinctBy(c => string.Join(".", c.NameParts), StringComparer.OrdinalIgnoreCase)
                .Select(c => new ShownColumn(
                    string.Join(".", c.NameParts),
                    Analyzer.Bind(SqlParser.ParseExpression($"CAST({string.Join(".", c.NameParts.Select(StructType.QuoteIdentifier))} AS STRING)"), schema)))
                .ToList();
            return new Rule(name, sql, bound, columns);
        }
        catch (Exception e) when (e is SqlParseException or AnalysisException)
        {
            // Writing without a rule the table declares would let bad rows in: refuse instead.
            throw new DeltaLogException($"Delta table {table}: cannot evaluate {name} ({sql}): {e.Message}", e);
        }
    }

    private static void CollectInvariants(string table, StructType schema, string prefix, StructType tableSchema, List<Rule> rules)
    {
        foreach (var field in schema.Fields)
        {
            var path = prefix + StructType.QuoteIdentifier(field.Name);
            if (field.Metadata.TryGetValue(TableFeatures.InvariantsMetadataKey, out var json))
            {
                rules.Add(Bind(table, $"invariant of column {path}", InvariantSql(table, path, json), tableSchema));
            }

            if (field.Type is StructType nested)
            {
                CollectInvariants(table, nested, path + ".", tableSchema, rules);
            }
        }
    }

    /// <summary>The SQL of an invariant, stored as <c>{"expression": {"expression": "&lt;sql&gt;"}}</c> (PROTOCOL.md, "Column Invariants").</summary>
    private static string InvariantSql(string table, string column, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("expression").GetProperty("expression").GetString()
                ?? throw new KeyNotFoundException("expression.expression is null");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DeltaLogException($"Delta table {table}: the invariant of column {column} is not readable ({json}): {e.Message}", e);
        }
    }

    private sealed record Rule(string Name, string Sql, BoundExpression Predicate, IReadOnlyList<ShownColumn> Columns);

    /// <summary>A column a rule reads, and the cast that renders its value as Spark would (only evaluated for a violating batch).</summary>
    private sealed record ShownColumn(string Name, BoundExpression AsString)
    {
        public string Text(RecordBatch batch, int row) =>
            AsString.Evaluate(batch) is StringArray values && !values.IsNull(row) ? values.GetString(row) : "NULL";
    }
}
