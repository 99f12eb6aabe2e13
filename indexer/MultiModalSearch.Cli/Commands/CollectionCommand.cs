using System.CommandLine;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms collection set NAME --private|--public</c>: who may read a collection through the service;
/// <c>mms collection delete NAME --yes</c>: the collection with its paths, embeddings and keys (files are not touched).
/// </summary>
internal static class CollectionCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Collection name" };
        var makePrivate = new Option<bool>("--private") { Description = "Only callers with one of the collection's API keys can see it" };
        var makePublic = new Option<bool>("--public") { Description = "Anyone who reaches the service can read it (the default)" };
        var db = CommonOptions.Db();
        var set = new Command("set", "Change a collection's settings") { name, makePrivate, makePublic, db };
        set.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(makePrivate) == result.GetValue(makePublic))
            {
                throw new CliUsageException("give exactly one of --private or --public");
            }

            var visibility = result.GetValue(makePrivate) ? CollectionVisibility.Private : CollectionVisibility.Public;
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var collection = result.GetValue(name)!;
            await CollectionErrors.InAsync(host, async () =>
            {
                await host.Get<ApiKeys>().SetVisibilityAsync(collection, visibility, cancellationToken);
                return 0;
            });
            Console.Out.WriteLine($"collection '{collection}' is now {visibility.ToString().ToLowerInvariant()}");
            return 0;
        });
        return new Command("collection", "Manage collections") { set, Delete() };
    }

    private static Command Delete()
    {
        var name = new Argument<string>("name") { Description = "Collection name" };
        var yes = new Option<bool>("--yes") { Description = "Confirm: every path, embedding and API key of the collection is deleted (the files are not touched)" };
        var db = CommonOptions.Db();
        var delete = new Command("delete", "Delete a collection from the database (its files stay where they are)") { name, yes, db };
        delete.SetAction(async (result, cancellationToken) =>
        {
            var collection = result.GetValue(name)!;
            if (!result.GetValue(yes))
            {
                throw new CliUsageException($"deleting '{collection}' removes every path, embedding and API key it has; add --yes to confirm");
            }

            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            if (!await host.Get<ICollectionStore>().DeleteAsync(collection, cancellationToken))
            {
                throw new CliUsageException($"no collection '{collection}' in {host.Db.Description}");
            }

            Console.Out.WriteLine($"collection '{collection}' deleted");
            return 0;
        });
        return delete;
    }
}
