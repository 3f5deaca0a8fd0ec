using OrleansStreams.Engine.Common;
using OrleansStreams.Engine.Expressions;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Plans;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Execution;

/// <summary>
/// Turns an unresolved logical plan into operators: leaves are resolved through the session's
/// relations, names and functions are bound, <c>*</c> is expanded, and scans are asked for only the
/// columns the query reads along with the filter conjuncts they may use to skip data.
/// </summary>
public sealed partial class QueryCompiler(QueryContext context)
{
    /// <summary>Compiles a batch query. Streaming plans run through a streaming query, not here.</summary>
    public PhysicalOperator Compile(LogicalPlan plan)
    {
        if (plan.IsStreaming)
        {
            throw new AnalysisException(
                "UNSUPPORTED_STREAMING_OPERATION",
                "Queries with streaming sources must be executed with writeStream.start(); a batch query (a SELECT or an action) cannot read a stream.");
        }

        batchOnly = true;
        return Compile(plan, required: null, pushedFilters: []).Operator;
    }

    /// <summary>Set while compiling a batch query: a view over a stream is then an error too.</summary>
    private bool batchOnly;

    /// <summary>The output schema of a plan, streaming or not (nothing is read).</summary>
    public StructType ResolveSchema(LogicalPlan plan) => Compile(plan, required: null, pushedFilters: []).Operator.Schema;

    /// <param name="required">The columns of this node's output that are read above it (null: all).</param>
    /// <param name="pushedFilters">Filter conjuncts above this node that a scan may use for skipping.</param>
    private CompiledNode Compile(LogicalPlan plan, HashSet<string>? required, IReadOnlyList<Expression> pushedFilters) => plan switch
    {
        Plans.TableRelation table => CompileBinding(context.Relations.ResolveTable(table), required, pushedFilters),
        DataSourceRelation source => CompileBinding(context.Relations.ResolveSource(source), required, pushedFilters),
        OneRowRelation => new CompiledNode(new OneRowExec()),
        SubqueryAlias alias => CompileAlias(alias, required, pushedFilters),
        Project project => CompileProject(project.ProjectList, Compile(project.Child, RequiredColumns.Of(project.ProjectList), [])),
        Plans.Filter filter => CompileFilter(filter, required, pushedFilters),
        WithWatermark watermark => Compile(watermark.Child, required is null ? null : [.. required, watermark.EventTimeColumn], pushedFilters),
        WithColumns with => CompileWithColumns(with),
        RenameColumn rename => CompileRename(rename),
        DropColumns drop => CompileDrop(drop),
        Plans.Aggregate aggregate => CompileAggregate(aggregate),
        Distinct distinct => CompileDistinct(Compile(distinct.Child, null, [])),
        Deduplicate dedupe => CompileDeduplicate(dedupe),
        Union union => CompileUnion(union),
        Join join => CompileJoin(join),
        Sort sort => CompileSort(sort, required),
        Limit limit => new CompiledNode(new LimitExec(limit.Count, Compile(limit.Child, required, []).Operator)),
        _ => throw new NotSupportedException($"The plan node {plan.GetType().Name} is not supported by the batch executor"),
    };

    private CompiledNode CompileBinding(RelationBinding binding, HashSet<string>? required, IReadOnlyList<Expression> pushedFilters)
    {
        switch (binding)
        {
            case ViewBinding view:
                if (batchOnly && view.Plan.IsStreaming)
                {
                    throw new AnalysisException(
                        "UNSUPPORTED_STREAMING_OPERATION",
                        "The view reads a stream: queries with streaming sources must be executed with writeStream.start(); a batch query cannot read it.");
                }

                return Compile(view.Plan, required, pushedFilters);
            case SourceBinding source:
                var needed = required is null
                    ? source.Schema.FieldNames.Where(n => !FileMetadataColumn.IsHidden(n)).ToList()
                    : source.Schema.FieldNames.Where(required.Contains).ToList();
                var schema = new StructType(needed.Select(n => source.Schema.Get(n)));
                var names = source.Schema.FieldNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
                var filters = pushedFilters.Where(f => (RequiredColumns.Of([f]) ?? names).All(names.Contains)).ToList();
                return new CompiledNode(new ScanExec(schema, source.Source, new ScanRequest(needed, filters)));
            default:
                throw new NotSupportedException($"Relation binding {binding.GetType().Name}");
        }
    }

    private CompiledNode CompileAlias(SubqueryAlias alias, HashSet<string>? required, IReadOnlyList<Expression> pushedFilters)
    {
        var child = Compile(alias.Child, required, pushedFilters);
        return child with { Scope = child.Scope.WithQualifier(alias.Alias) };
    }

    private CompiledNode CompileProject(IEnumerable<Expression> projectList, CompiledNode child)
    {
        var scope = child.Scope;
        var items = projectList.SelectMany(e => e is Star star ? scope.ExpandStar(star) : [scope.ResolveNamed(e)]).ToList();
        var explodes = items.Select((e, i) => (Item: e, Index: i)).Where(x => IsExplode(x.Item)).ToList();
        if (explodes.Count > 1)
        {
            throw new AnalysisException("UNSUPPORTED_GENERATOR.MULTI_GENERATOR", "Only one generator (explode) is allowed per select clause.");
        }

        if (explodes.Count == 1)
        {
            var (item, at) = explodes[0];
            var call = (FunctionCall)(item is Alias a ? a.Child : item);
            var others = items.Where((_, i) => i != at).Append(new Alias(call.Arguments.Single(), "__explode")).ToList();
            var explodeProjection = Projection.Bind(others, scope.BindingSchema, context.Functions, context.Session);
            return new CompiledNode(new ExplodeExec(explodeProjection, at, (item as Alias)?.Name, child.Operator));
        }

        var projection = Projection.Bind(items, scope.BindingSchema, context.Functions, context.Session);
        return new CompiledNode(new ProjectExec(projection, child.Operator));
    }

    private CompiledNode CompileFilter(Plans.Filter filter, HashSet<string>? required, IReadOnlyList<Expression> pushedFilters)
    {
        var conjuncts = SplitConjuncts(filter.Condition).ToList();
        var child = Compile(filter.Child, required is null ? null : RequiredColumns.Of([filter.Condition], required), [.. pushedFilters, .. conjuncts]);
        var bound = Expressions.Evaluation.Filter.Bind(child.Scope.Resolve(filter.Condition), child.Scope.BindingSchema, context.Functions, context.Session);
        return child with { Operator = new FilterExec(bound, child.Operator) };
    }

    /// <summary><c>withColumn</c>: replace the column of that name in place, or append it.</summary>
    private CompiledNode CompileWithColumns(WithColumns with)
    {
        var child = Compile(with.Child, null, []);
        var items = new List<Expression>();
        var assigned = new HashSet<int>();
        foreach (var field in child.Scope.Schema.Fields.Where(f => !FileMetadataColumn.IsHidden(f.Name)))
        {
            var index = with.Names.ToList().FindIndex(n => string.Equals(n, field.Name, StringComparison.OrdinalIgnoreCase));
            items.Add(index >= 0 ? new Alias(with.Values[index], field.Name) : new ColumnRef(field.Name));
            if (index >= 0)
            {
                assigned.Add(index);
            }
        }

        for (var i = 0; i < with.Names.Count; i++)
        {
            if (!assigned.Contains(i))
            {
                items.Add(new Alias(with.Values[i], with.Names[i]));
            }
        }

        return CompileProject(items, child);
    }

    private CompiledNode CompileRename(RenameColumn rename)
    {
        var child = Compile(rename.Child, null, []);
        var items = child.Scope.Schema.FieldNames.Where(n => !FileMetadataColumn.IsHidden(n))
            .Select(n => string.Equals(n, rename.Existing, StringComparison.OrdinalIgnoreCase) ? (Expression)new Alias(new ColumnRef(n), rename.NewName) : new ColumnRef(n));
        return CompileProject(items, child);
    }

    private CompiledNode CompileDrop(DropColumns drop)
    {
        var child = Compile(drop.Child, null, []);
        var dropped = drop.Names.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var items = child.Scope.Schema.FieldNames.Where(n => !dropped.Contains(n) && !FileMetadataColumn.IsHidden(n)).Select(n => (Expression)new ColumnRef(n));
        return CompileProject(items, child);
    }

    private CompiledNode CompileUnion(Union union)
    {
        var left = Compile(union.Left, null, []);
        var right = Compile(union.Right, null, []);
        var (l, r) = (left.Operator.Schema, right.Operator.Schema);
        if (l.Count != r.Count)
        {
            throw new AnalysisException(
                "NUM_COLUMNS_MISMATCH",
                $"UNION can only be performed on inputs with the same number of columns, but the first input has {l.Count} columns and the second input has {r.Count} columns.");
        }

        for (var i = 0; i < l.Count; i++)
        {
            if (l[i].Type.SimpleString != r[i].Type.SimpleString)
            {
                throw new AnalysisException(
                    "INCOMPATIBLE_COLUMN_TYPE",
                    $"UNION can only be performed on inputs with compatible column types. The column {StructType.QuoteIdentifier(l[i].Name)} is {l[i].Type.SimpleString} in the first input and {r[i].Type.SimpleString} in the second.");
            }
        }

        var schema = new StructType(l.Fields.Select((f, i) => new StructField(f.Name, f.Type, f.Nullable || r[i].Nullable, f.Metadata)));
        return new CompiledNode(new UnionExec(schema, left.Operator, right.Operator));
    }

    private CompiledNode CompileSort(Sort sort, HashSet<string>? required)
    {
        var child = Compile(sort.Child, required is null ? null : RequiredColumns.Of(sort.Order.Select(o => o.Expression), required), []);
        var missing = sort.Order.Where(o => !Binds(o.Expression, child.Scope)).ToList();
        if (missing.Count > 0 && sort.Child is Project project)
        {
            return CompileSortOnHiddenColumns(sort, project, missing);
        }

        var keys = sort.Order
            .Select(o => new SortKey(Analyzer.Bind(child.Scope.Resolve(o.Expression), child.Scope.BindingSchema, context.Functions, context.Session), o.Ascending, o.NullsFirst ?? o.Ascending))
            .ToList();
        return child with { Operator = new SortExec(keys, child.Operator) };
    }

    /// <summary>
    /// ORDER BY a column the select list does not output (Spark allows it): the key is computed as a
    /// hidden column of the projection, sorted on, then dropped.
    /// </summary>
    private CompiledNode CompileSortOnHiddenColumns(Sort sort, Project project, List<SortOrder> missing)
    {
        var hidden = missing.Select((o, i) => (Order: o, Name: $"__sort_{i}")).ToList();
        var extended = new Project(project.ProjectList.Concat(hidden.Select(h => (Expression)new Alias(h.Order.Expression, h.Name))).ToEquatableList(), project.Child);
        var order = sort.Order.Select(o => hidden.FirstOrDefault(h => ReferenceEquals(h.Order, o)) is { Name: { } name } ? o with { Expression = new ColumnRef(name) } : o).ToEquatableList();
        var plan = new DropColumns(hidden.Select(h => h.Name).ToEquatableList(), new Sort(order, extended));
        return Compile(plan, null, []);
    }

    private bool Binds(Expression expression, ColumnScope scope)
    {
        try
        {
            Analyzer.Bind(scope.Resolve(expression), scope.BindingSchema, context.Functions, context.Session);
            return true;
        }
        catch (AnalysisException e) when (e.ErrorClass is "UNRESOLVED_COLUMN" or "FIELD_NOT_FOUND")
        {
            return false;
        }
    }

    private static bool IsExplode(Expression item) =>
        (item is Alias a ? a.Child : item) is FunctionCall { Name: var name, Arguments.Count: 1 } && name.Equals("explode", StringComparison.OrdinalIgnoreCase);

    internal static IEnumerable<Expression> SplitConjuncts(Expression condition) =>
        condition is BinaryExpression { Operator: BinaryOperator.And } and
            ? SplitConjuncts(and.Left).Concat(SplitConjuncts(and.Right))
            : [condition];
}
