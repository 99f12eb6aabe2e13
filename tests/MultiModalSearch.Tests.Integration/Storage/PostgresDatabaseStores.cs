using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Tests.Storage;

/// <summary>The stores of a test database, as an indexing run takes them.</summary>
internal static class PostgresDatabaseStores
{
    public static IndexingStores IndexingStores(this PostgresDatabase database) =>
        new(database.Collections, database.WorkQueue, database.Vectors, database.Texts, database.Thumbnails);
}
