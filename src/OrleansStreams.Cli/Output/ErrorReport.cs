using System.Net.Sockets;
using Azure;
using OrleansStreams.Runtime.Streaming;

namespace OrleansStreams.Cli.Output;

/// <summary>
/// Turns a failure into the one line a user needs: what went wrong and where (file:line:column, option,
/// table). The stack trace is only shown with <c>--verbose</c>.
/// </summary>
internal static class ErrorReport
{
    public static string Line(Exception error)
    {
        var e = Unwrap(error);
        if (Unreachable(e) is { } endpoint)
        {
            return $"cannot reach the storage service at {endpoint} (connection refused). Is Azurite running? "
                + "Start it (e.g. `npx azurite`) or point OrleansStreams:Storage:ConnectionString / AZURE_STORAGE_CONNECTION_STRING at a live account.";
        }

        return e switch
        {
            RequestFailedException r => $"storage request failed ({r.Status} {r.ErrorCode}): {FirstLine(r.Message)}",
            FileNotFoundException f => $"file not found: {f.FileName ?? f.Message}",
            DirectoryNotFoundException d => FirstLine(d.Message),
            _ => FirstLine(e.Message),
        };
    }

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        StreamingQueryException { InnerException: { } inner } => Unwrap(inner),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => e,
    };

    /// <summary>The endpoint of a refused connection anywhere in the exception's causes.</summary>
    private static string? Unreachable(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Unreachable).FirstOrDefault(x => x is not null);
            }

            if (current is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } http)
            {
                return Endpoint(http.Message);
            }

            if (current is SocketException { SocketErrorCode: SocketError.ConnectionRefused } socket)
            {
                return Endpoint(socket.Message);
            }
        }

        return null;
    }

    /// <summary>The "(host:port)" the runtime puts in connection messages, or the whole message.</summary>
    private static string Endpoint(string message)
    {
        var open = message.LastIndexOf('(');
        var close = message.LastIndexOf(')');
        return open >= 0 && close > open ? message[(open + 1)..close] : message;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
