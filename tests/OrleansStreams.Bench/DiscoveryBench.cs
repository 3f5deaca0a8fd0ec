using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansStreams.Runtime.Streaming;
using OrleansStreams.Storage.ObjectStore;

namespace OrleansStreams.Bench;

/// <summary>
/// Part 4: Auto Loader discovery of many small files. Listing mode: the files arrive in ten rounds and
/// the source's discovery (the one queries use) logs each round's new files, timed per round with the
/// bytes it added to the checkpoint; then a fresh checkpoint discovers them all at once, next to a bare
/// <c>Directory.EnumerateFiles</c> of the same folder as the floor. Notification mode is
/// <see cref="NotificationDiscoveryBench"/>.
/// </summary>
internal static class DiscoveryBench
{
    private const int Rounds = 10;

    public static async Task<JsonObject> RunAsync(string work, bool small)
    {
        var total = small ? 10_000 : 100_000;
        var root = Path.Combine(work, "discovery");
        var folder = Path.Combine(root, "input");
        Directory.CreateDirectory(folder);
        var line = "{\"id\":1}\n"u8.ToArray();

        var incremental = Discovery(folder, Path.Combine(root, "checkpoint-rounds"));
        var seconds = new JsonArray();
        var bytes = new JsonArray();
        var found = 0;
        long checkpointBytes = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var perRound = total / Rounds;
            for (var i = 0; i < perRound; i++)
            {
                // A thousand files a folder, like date folders, rather than one flat directory.
                var index = (round * perRound) + i;
                var sub = Path.Combine(folder, $"day={index / 1000:D3}");
                Directory.CreateDirectory(sub);
                File.WriteAllBytes(Path.Combine(sub, $"f-{index:D6}.json"), line);
            }

            var before = FolderBytes(Path.Combine(root, "checkpoint-rounds"));
            var watch = Stopwatch.StartNew();
            found += await incremental.DiscoverAsync(CancellationToken.None);
            seconds.Add(Math.Round(watch.Elapsed.TotalSeconds, 3));
            checkpointBytes = FolderBytes(Path.Combine(root, "checkpoint-rounds"));
            bytes.Add(checkpointBytes - before);
        }

        var fresh = Discovery(folder, Path.Combine(root, "checkpoint-once"));
        var once = Stopwatch.StartNew();
        var foundOnce = await fresh.DiscoverAsync(CancellationToken.None);
        var onceSeconds = once.Elapsed.TotalSeconds;

        var bare = Stopwatch.StartNew();
        var listed = new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length > 0 ? 1 : 0);
        var bareSeconds = bare.Elapsed.TotalSeconds;
        if (found != total || foundOnce != total || listed != total)
        {
            throw new InvalidOperationException($"discovery found {found} (rounds) and {foundOnce} (at once) of {total} files; a bare listing found {listed}");
        }

        var onceCheckpointBytes = FolderBytes(Path.Combine(root, "checkpoint-once"));
        Directory.Delete(root, recursive: true);
        return new JsonObject
        {
            ["files"] = total,
            ["filesPerSec"] = Math.Round(total / onceSeconds),
            ["checkpointBytes"] = onceCheckpointBytes,
            ["checkpointBytesAfterRounds"] = checkpointBytes,
            ["bareListingFilesPerSec"] = Math.Round(total / bareSeconds),
            ["rounds"] = Rounds,
            ["secondsPerRound"] = seconds,
            ["checkpointBytesPerRound"] = bytes,
        };
    }

    private static FileDiscovery Discovery(string folder, string checkpoint) =>
        new(new DiscoverySpec { Folder = folder, CheckpointFolder = checkpoint }, new LocalFileObjectStore(folder), new LocalFileObjectStore(checkpoint));

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}
