using System.Text.Json.Nodes;
using OrleansStreams.Host.StreamsUi;

namespace OrleansStreams.Host.Tests;

/// <summary>What the streams UI never shows: SAS tokens, account keys, passwords in URLs, secret-named options.</summary>
public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("CloudFilesSource[https://acct.blob.core.windows.net/landing/in?sv=2024-01-01&sig=abc%2Bdef]", "CloudFilesSource[https://acct.blob.core.windows.net/landing/in?***]")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bXlrZXk=;EndpointSuffix=core.windows.net", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;EndpointSuffix=core.windows.net")]
    [InlineData("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=xyz", "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=***")]
    [InlineData("failed reading https://user:hunter2@host/data", "failed reading https://***@host/data")]
    [InlineData("abfss://landing@acct.dfs.core.windows.net/bronze", "abfss://landing@acct.dfs.core.windows.net/bronze")]
    [InlineData("/data/checkpoints/bronze", "/data/checkpoints/bronze")]
    public void Secrets_are_masked_and_the_rest_stays_readable(string text, string shown) => Assert.Equal(shown, SecretRedaction.Redact(text));

    [Fact]
    public void Json_strings_are_redacted_and_secret_named_options_masked()
    {
        var plan = JsonNode.Parse("""{"source":{"path":"wasbs://c@a.blob.core.windows.net/x?sig=s3cret","options":{"cloudFiles.connectionString":"AccountKey=k","cloudFiles.format":"json"},"maxFiles":3}}""");
        var shown = SecretRedaction.Redact(plan)!.ToJsonString();
        Assert.DoesNotContain("s3cret", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=k", shown, StringComparison.Ordinal);
        Assert.Contains("\"cloudFiles.format\":\"json\"", shown, StringComparison.Ordinal);
        Assert.Contains("\"maxFiles\":3", shown, StringComparison.Ordinal);
    }
}
