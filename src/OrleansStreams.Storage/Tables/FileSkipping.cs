using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using OrleansStreams.Engine.Batches;
using OrleansStreams.Engine.Execution;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;
using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tables;

/// <summary>
/// Decides from the log alone which files a query's filter cannot match: conjuncts on partition
/// columns are evaluated on each file's partition values (partition pruning), and comparisons of a
/// numeric or string column with a literal are checked against the file's min/max stats (data
/// skipping). Anything it cannot decide keeps the file: the query filters rows again anyway.
/// Partition values and stats are keyed by physical names (<see cref="ColumnMapping"/>).
/// </summary>
internal sealed class FileSkipping
{
    private readonly StructType partitionSchema;
    private readonly ColumnMapping mapping;
    private readonly BoundExpression? partitionPredicate;
    // Column: the physical name, as stats are keyed.
    private readonly List<(string Column, BinaryOperator Op, object Literal)> ranges = [];

    public FileSkipping(DeltaSnapshot snapshot, IReadOnlyList<Expression> filters)
    {
        var schema = snapshot.Schema;
        mapping = ColumnMapping.For(snapshot);
        var partitions = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        partitionSchema = new StructType(snapshot.PartitionColumns.Select(schema.Get));
        var partitionConjuncts = new List<Expression>();
        foreach (var filter in filters)
        {
            var columns = ExpressionWalker.DescendantsAndSelf(filter).OfType<ColumnRef>().Select(c => c.NameParts[^1]).ToList();
            if (columns.Count > 0 && columns.All(partitions.Contains) && !ExpressionWalker.Any(filter, e => e is FunctionCall { Name: "rand" or "uuid" }))
            {
                partitionConjuncts.Add(filter);
            }
            else if (AsRange(filter) is { } range && schema.Find(range.Column) is { Type: ByteType or ShortType or IntegerType or LongType or FloatType or DoubleType or DecimalType or StringType } field)
            {
                ranges.Add(range with { Column = mapping.PhysicalName(field) });
            }
        }

        if (partitionConjuncts.Count > 0)
        {
            var conjunction = partitionConjuncts.Aggregate((a, b) => new BinaryExpression(BinaryOperator.And, a, b));
            try
            {
                partitionPredicate = Analyzer.Bind(Unqualify(conjunction), partitionSchema);
            }
            catch (AnalysisException)
            {
                partitionPredicate = null; // the query reports the error; pruning just does not happen
            }
        }
    }

    /// <summary>
    /// A filter decided on partition values alone (<c>OPTIMIZE … WHERE</c>): unlike a query's filter, which the query
    /// applies again to the rows, it must hold exactly, so a predicate on another column or one that does not bind is an error.
    /// </summary>
    public static FileSkipping ForPartitionPredicate(DeltaSnapshot snapshot, Expression predicate)
    {
        var partitions = snapshot.PartitionColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = ExpressionWalker.DescendantsAndSelf(predicate).OfType<ColumnRef>().Select(c => c.NameParts[^1]).ToList();
        if (columns.FirstOrDefault(c => !partitions.Contains(c)) is { } other)
        {
            throw new AnalysisException(
                "DELTA_NON_PARTITION_COLUMN_REFERENCE",
                $"Table {snapshot.Table}: the predicate may only use partition columns ({(partitions.Count == 0 ? "the table has none" : string.Join(", ", snapshot.PartitionColumns))}), but it uses '{other}'");
        }

        var skipping = new FileSkipping(snapshot, [predicate]);
        if (columns.Count > 0 && skipping.partitionPredicate is null)
        {
            Analyzer.Bind(Unqualify(predicate), skipping.partitionSchema); // raises what the constructor swallowed
        }

        return skipping;
    }

    public bool MayMatch(AddFile file) => PartitionMayMatch(file) && StatsMayMatch(file);

    private bool PartitionMayMatch(AddFile file)
    {
        if (partitionPredicate is null)
        {
            return true;
        }

        var columns = partitionSchema.Fields.Select(f => Columns.Repeat(PartitionValues.Parse(mapping.PartitionValue(file, f), f.Type), f.Type, 1));
        var row = new RecordBatch(ArrowTypes.ToArrowSchema(partitionSchema), columns, 1);
        return ((BooleanArray)partitionPredicate.Evaluate(row)).GetValue(0) == true;
    }

    private bool StatsMayMatch(AddFile file)
    {
        if (ranges.Count == 0 || file.Stats is null)
        {
            return true;
        }

        using var stats = JsonDocument.Parse(file.Stats);
        var root = stats.RootElement;
        foreach (var (column, op, literal) in ranges)
        {
            var min = Bound(root, "minValues", column);
            var max = Bound(root, "maxValues", column);
            var excluded = op switch
            {
                BinaryOperator.Equal => (min is not null && Compare(literal, min.Value) < 0) || (max is not null && Compare(literal, max.Value) > 0),
                BinaryOperator.LessThan => min is not null && Compare(min.Value, literal) >= 0,
                BinaryOperator.LessThanOrEqual => min is not null && Compare(min.Value, literal) > 0,
                BinaryOperator.GreaterThan => max is not null && Compare(max.Value, literal) <= 0,
                BinaryOperator.GreaterThanOrEqual => max is not null && Compare(max.Value, literal) < 0,
                _ => false,
            };
            if (excluded)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>col op literal</c> or <c>literal op col</c> (flipped), for the comparison operators.</summary>
    private static (string Column, BinaryOperator Op, object Literal)? AsRange(Expression filter)
    {
        if (filter is not BinaryExpression { Operator: BinaryOperator.Equal or BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual or BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual } b)
        {
            return null;
        }

        return (b.Left, b.Right) switch
        {
            (ColumnRef c, Literal { Value: { } v }) when v is string or IConvertible => (c.NameParts[^1], b.Operator, v),
            (Literal { Value: { } v }, ColumnRef c) when v is string or IConvertible => (c.NameParts[^1], Flip(b.Operator), v),
            _ => null,
        };
    }

    private static BinaryOperator Flip(BinaryOperator op) => op switch
    {
        BinaryOperator.LessThan => BinaryOperator.GreaterThan,
        BinaryOperator.LessThanOrEqual => BinaryOperator.GreaterThanOrEqual,
        BinaryOperator.GreaterThan => BinaryOperator.LessThan,
        BinaryOperator.GreaterThanOrEqual => BinaryOperator.LessThanOrEqual,
        _ => op,
    };

    private static JsonElement? Bound(JsonElement stats, string which, string column) =>
        stats.TryGetProperty(which, out var values) && values.ValueKind == JsonValueKind.Object
            && values.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, column, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } p
            ? p.Value
            : null;

    /// <summary>Orders a stats value against a literal; a pair it cannot order compares as "equal" (never excludes).</summary>
    private static int Compare(object literal, JsonElement bound) => -Compare(bound, literal);

    private static int Compare(JsonElement bound, object literal) => (bound.ValueKind, literal) switch
    {
        (JsonValueKind.String, string s) => string.CompareOrdinal(bound.GetString(), s) switch { < 0 => -1, > 0 => 1, _ => 0 },
        (JsonValueKind.Number, string) => 0,
        (JsonValueKind.Number, IConvertible c) when bound.TryGetDecimal(out var d) && TryDecimal(c, out var l) => d.CompareTo(l),
        (JsonValueKind.Number, IConvertible c) => bound.GetDouble().CompareTo(c.ToDouble(CultureInfo.InvariantCulture)),
        _ => 0,
    };

    private static bool TryDecimal(IConvertible value, out decimal result)
    {
        try
        {
            result = value.ToDecimal(CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException)
        {
            result = 0;
            return false;
        }
    }

    private static Expression Unqualify(Expression e) =>
        ExpressionRewriter.Rewrite(e, x => x is ColumnRef { NameParts.Count: > 1 } c ? new ColumnRef(c.NameParts[^1]) : null);
}
