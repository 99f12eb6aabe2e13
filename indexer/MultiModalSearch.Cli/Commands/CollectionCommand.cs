using System.CommandLine;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms collection set NAME --private|--public</c>: who may read a collection through the service.</summary>
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
        return new Command("collection", "Manage collections") { set };
    }
}
