namespace OrleansStreams.Bookstore;

/// <summary>How much each drop of the bookstore dataset holds.</summary>
public sealed record BookstoreOptions
{
    /// <summary>The seed: the same seed gives the same data, drop for drop, on every machine.</summary>
    public int Seed { get; init; } = 42;

    public int BooksPerDrop { get; init; } = 12;

    public int CustomersPerDrop { get; init; } = 50;

    public int OrdersPerDrop { get; init; } = 1000;
}

/// <summary>What one drop adds: new books and customers, and orders over everything known so far.</summary>
public sealed record BookstoreDrop(int Index, IReadOnlyList<Book> Books, IReadOnlyList<Customer> Customers, IReadOnlyList<Order> Orders);

/// <summary>
/// Generates the bookstore dataset in drops. Every record is a pure function of (seed, kind, number), so a
/// drop can be generated alone and an order can price a book of an earlier drop by regenerating it.
/// Drop <c>k</c>'s events fall in a 24-day window starting 18 × k days after 2022-01-01, so drops span months.
/// </summary>
public sealed class BookstoreGenerator(BookstoreOptions options)
{
    private static readonly DateTimeOffset Epoch = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Authors =
    [
        "Tracy Kidder", "Frank Herbert", "Octavia Butler", "Ursula K. Le Guin", "Isaac Asimov", "Mary Shelley",
        "Toni Morrison", "Haruki Murakami", "Chinua Achebe", "Jane Austen", "Italo Calvino", "Yuval Noah Harari",
    ];

    private static readonly string[] Categories = ["Science Fiction", "Fiction", "History", "Computer Science", "Poetry", "Biography"];
    private static readonly string[] Adjectives = ["Silent", "Hidden", "Last", "Burning", "Distant", "Golden", "Broken", "Endless", "Quiet", "Northern"];
    private static readonly string[] Nouns = ["Machine", "River", "Empire", "Garden", "Signal", "Harbor", "Archive", "Frontier", "Winter", "Library"];
    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Radia", "Edsger", "Frances", "John"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Perlman", "Dijkstra", "Allen", "Backus"];
    private static readonly string[] Countries = ["France", "Germany", "Kenya", "Brazil", "Japan", "Canada", "India", "Spain"];

    public BookstoreOptions Options { get; } = options;

    public BookstoreDrop Drop(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var books = Enumerable.Range((index * Options.BooksPerDrop) + 1, Options.BooksPerDrop).Select(Book).ToList();
        var customers = Enumerable.Range((index * Options.CustomersPerDrop) + 1, Options.CustomersPerDrop).Select(Customer).ToList();
        var orders = Enumerable.Range((index * Options.OrdersPerDrop) + 1, Options.OrdersPerDrop).Select(Order).ToList();
        return new BookstoreDrop(index, books, customers, orders);
    }

    /// <summary>Book number <paramref name="number"/> (1-based across all drops).</summary>
    public Book Book(int number)
    {
        var random = Random(1, number);
        var title = $"The {Pick(random, Adjectives)} {Pick(random, Nouns)}";
        return new Book($"B{number:D4}", title, Pick(random, Authors), Pick(random, Categories), Math.Round(5 + (random.NextDouble() * 45), 2));
    }

    public Customer Customer(int number)
    {
        var random = Random(2, number);
        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        var updated = Window(DropOf(number, Options.CustomersPerDrop), random);
        return new Customer($"C{number:D5}", $"{first}.{last}{number}@example.com".ToLowerInvariant(), first, last, Pick(random, Countries), updated.ToUnixTimeMilliseconds());
    }

    /// <summary>An order of 1 to 3 books, bought among the books and customers of its drop and the drops before.</summary>
    public Order Order(int number)
    {
        var random = Random(3, number);
        var drop = DropOf(number, Options.OrdersPerDrop);
        var customer = random.Next(1, ((drop + 1) * Options.CustomersPerDrop) + 1);
        var lines = Enumerable.Range(0, random.Next(1, 4))
            .Select(_ => Book(random.Next(1, ((drop + 1) * Options.BooksPerDrop) + 1)))
            .DistinctBy(b => b.BookId)
            .Select(b =>
            {
                var quantity = random.Next(1, 4);
                return new OrderLine(b.BookId, quantity, Math.Round(b.Price * quantity, 2));
            })
            .ToList();
        var timestamp = Window(drop, random).ToUnixTimeSeconds();
        return new Order($"O{number:D6}", timestamp, $"C{customer:D5}", lines.Sum(l => l.Quantity), Math.Round(lines.Sum(l => l.Subtotal), 2), lines);
    }

    private static int DropOf(int number, int perDrop) => (number - 1) / perDrop;

    private static DateTimeOffset Window(int drop, Random random) =>
        Epoch.AddDays(18 * drop).AddSeconds(random.NextInt64(24 * 86_400L));

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    /// <summary>A generator of its own for each record: SplitMix64's finalizer mixes seed, kind and number.</summary>
    private Random Random(int kind, int number)
    {
        var x = unchecked(((ulong)(uint)Options.Seed << 32) ^ ((ulong)kind << 56) ^ (uint)number);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return new Random(unchecked((int)(x ^ (x >> 31))));
    }
}
