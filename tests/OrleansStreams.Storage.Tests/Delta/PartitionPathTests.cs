using OrleansStreams.Storage.Delta;

namespace OrleansStreams.Storage.Tests.Delta;

public class PartitionPathTests
{
    [Theory]
    [InlineData("plain-value_1.2", "plain-value_1.2")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("2021-09-08 11:11:11", "2021-09-08 11%3A11%3A11")]
    [InlineData("bar+%21", "bar+%2521")]
    [InlineData("x=y", "x%3Dy")]
    [InlineData("\"#%'*/:=?\\\u007F{[]^", "%22%23%25%27%2A%2F%3A%3D%3F%5C%7F%7B%5B%5D%5E")]
    [InlineData("\u0001\u001F", "%01%1F")]
    [InlineData("space <>|~!é", "space <>|~!é")]
    public void Escape_matches_spark_and_unescape_reverses_it(string value, string escaped)
    {
        Assert.Equal(escaped, PartitionPath.Escape(value));
        Assert.Equal(value, PartitionPath.Unescape(escaped));
    }

    [Theory]
    [InlineData("100%", "100%")]
    [InlineData("%zz", "%zz")]
    [InlineData("%4", "%4")]
    public void Unescape_leaves_incomplete_escapes_alone(string path, string expected) =>
        Assert.Equal(expected, PartitionPath.Unescape(path));

    [Fact]
    public void Build_joins_escaped_columns_and_values_and_uses_the_hive_default_for_null_and_empty()
    {
        Assert.Equal("topic=orders/year_month=2022-01", PartitionPath.Build(["topic", "year_month"], ["orders", "2022-01"]));
        Assert.Equal("a=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__", PartitionPath.Build(["a", "b"], [null, ""]));
        Assert.Equal("a=x%2Fy", PartitionPath.Build(["a"], new Dictionary<string, string?> { ["a"] = "x/y" }));
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("\\..\\..\\windows")]
    [InlineData("C:\\temp")]
    [InlineData("%2e%2e/%2E%2E")]
    [InlineData("")]
    public void Hostile_values_never_leave_the_table_folder(string hostile)
    {
        foreach (var columns in new[] { new[] { "col" }, ["..", "."], ["a/b", "c"] })
        {
            var values = columns.Select(_ => (string?)hostile).ToArray();
            var relative = PartitionPath.Build(columns, values);

            // Every segment is "name=value", so none is "." or ".." and there is no separator but '/'.
            Assert.False(relative.StartsWith('/'));
            Assert.DoesNotContain('\\', relative);
            Assert.Equal(columns.Length, relative.Split('/').Length);
            Assert.All(relative.Split('/'), segment => Assert.Contains('=', segment));

            // The log path decodes back to the same folder, and a real file system keeps it inside the table.
            Assert.Equal(relative, DeltaPath.FromLogPath(DeltaPath.ToLogPath(relative)));
            var table = Path.Combine(Path.GetTempPath(), "table");
            var full = Path.GetFullPath(Path.Combine(table, relative));
            Assert.StartsWith(table + Path.DirectorySeparatorChar, full, StringComparison.Ordinal);

            Assert.Equal(hostile.Length == 0 ? PartitionPath.DefaultPartitionName : hostile, PartitionPath.Unescape(relative.Split('/')[0].Split('=', 2)[1]));
        }
    }

    [Theory]
    [InlineData("_2=bar+%2521/part-0.parquet", "_2=bar+%252521/part-0.parquet")]
    [InlineData("as_timestamp=2021-09-08 11%3A11%3A11/p.parquet", "as_timestamp=2021-09-08%2011%253A11%253A11/p.parquet")]
    [InlineData("special p@#h", "special%20p@%23h")]
    [InlineData("é/x", "%C3%A9/x")]
    public void Log_paths_are_uri_encoded_like_spark_writes_them(string key, string logPath)
    {
        Assert.Equal(logPath, DeltaPath.ToLogPath(key));
        Assert.Equal(key, DeltaPath.FromLogPath(logPath));
    }
}
