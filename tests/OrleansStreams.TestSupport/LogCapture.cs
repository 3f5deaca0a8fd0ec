using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansStreams.TestSupport;

/// <summary>A logger factory that keeps every formatted message (level, category, text), so tests can check what was logged.</summary>
public sealed class LogCapture : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => entries.ToList();

    /// <summary>The messages at <paramref name="level"/> or above that contain every one of <paramref name="parts"/>.</summary>
    public IReadOnlyList<string> Find(LogLevel level, params string[] parts) =>
        entries.Where(e => e.Level >= level && parts.All(p => e.Message.Contains(p, StringComparison.Ordinal))).Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
