-- The seed's bronze ingest and author counts as a SQL pipeline:
--   orleans-streams run examples/bookstore-pipeline.sql
-- reads the files the demo writes to ./bookstore.

-- Bronze: every kafka-raw message, partitioned by topic and month (Auto Loader through read_files).
CREATE OR REFRESH STREAMING TABLE kafka_bronze
PARTITIONED BY (topic, year_month)
TBLPROPERTIES ('mergeSchema' = 'true')
AS SELECT key, value, topic, partition, offset,
          CAST(timestamp / 1000 AS TIMESTAMP) AS timestamp,
          date_format(CAST(timestamp / 1000 AS TIMESTAMP), 'yyyy-MM') AS year_month
FROM STREAM read_files('bookstore/kafka-raw', format => 'json',
                       schema => 'key BINARY, value BINARY, topic STRING, partition LONG, offset LONG, timestamp LONG');

-- Silver: the books messages decoded.
CREATE OR REPLACE TEMP VIEW books_messages AS
SELECT from_json(CAST(value AS STRING), 'book_id STRING, title STRING, author STRING, category STRING, price DOUBLE') AS book
FROM STREAM kafka_bronze
WHERE topic = 'books';

CREATE OR REFRESH STREAMING TABLE books_silver
AS SELECT book.book_id, book.title, book.author, book.category, book.price
FROM books_messages;

-- Gold: books per author, an aggregation without watermark, so in complete mode.
CREATE OR REFRESH STREAMING TABLE author_counts_gold
AS SELECT author, count(book_id) AS total_books
FROM STREAM books_silver
GROUP BY author;
