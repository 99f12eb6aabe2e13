using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms keys create --collection NAME --read|--write</c> and <c>mms keys revoke ID</c>. The secret is printed once and
/// only its hash is stored; the service takes it as <c>Authorization: Bearer KEY</c>.
/// </summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Create and revoke API keys for the query service") { CreateCommand(), RevokeCommand() };

    private static Command CreateCommand()
    {
        var collection = new Option<string>("--collection", "-c") { Description = "The collection the key opens", Required = true };
        var read = new Option<bool>("--read") { Description = "The key reads the collection" };
        var write = new Option<bool>("--write") { Description = "The key reads and changes the collection" };
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("create", "Create an API key (printed once: store it)") { collection, read, write, db, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(read) == result.GetValue(write))
            {
                throw new CliUsageException("give exactly one of --read or --write");
            }

            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            var access = result.GetValue(write) ? ApiKeyAccess.Write : ApiKeyAccess.Read;
            var created = await CollectionErrors.InAsync(host, () => host.Get<ApiKeys>().CreateAsync(result.GetValue(collection)!, access, cancellationToken));
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new { id = created.Id, collection = created.Collection, access = access.ToString().ToLowerInvariant(), key = created.Secret }, JsonOutput.SerializerOptions));
            }
            else
            {
                Console.Out.WriteLine(created.Secret);
                Console.Error.WriteLine($"key {created.Id}: {access.ToString().ToLowerInvariant()} access to '{created.Collection}'. It is shown only now; revoke it with 'mms keys revoke {created.Id}'.");
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeCommand()
    {
        var id = new Argument<long>("id") { Description = "The key's id (printed when it was created)" };
        var db = CommonOptions.Db();
        var command = new Command("revoke", "Revoke an API key at once") { id, db };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?> { [ConfigurationKeys.DatabaseUrl] = result.GetValue(db) }, openDatabase: true, cancellationToken);
            await host.Get<ApiKeys>().RevokeAsync(result.GetValue(id), cancellationToken);
            Console.Out.WriteLine($"key {result.GetValue(id)} revoked");
            return 0;
        });
        return command;
    }
}
