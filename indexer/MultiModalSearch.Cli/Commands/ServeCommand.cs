using System.CommandLine;
using MultiModalSearch.Api;
using MultiModalSearch.Hosting;
using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms serve</c>: the HTTP query service (api/), in this process. Ctrl+C or SIGTERM stops it after the requests in
/// flight have finished; the embedded database is stopped only if no other process (an indexer) still uses it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://0.0.0.0:8080 (default: http://127.0.0.1:8080, loopback only; or Urls in appsettings.json)" };
        var db = CommonOptions.Db();
        var readDb = new Option<string?>("--read-db") { Description = "A read replica for searches (default: $MMS_READ_DATABASE_URL, else the primary)" };
        var device = new Option<string?>("--device") { Description = "auto (CUDA when present), cpu, cuda or cuda:N (default: $MMS_DEVICE, else auto)" };
        var textModel = CommonOptions.DocumentTextModel();
        var reranker = CommonOptions.DocumentReranker();
        var llmEndpoint = CommonOptions.LlmEndpoint();
        var llmModel = CommonOptions.LlmModel();
        var command = new Command("serve", "Run the HTTP query service (search, assets, answers at /api/ask, the in-process model at /v1/chat/completions, OpenAPI at /openapi/v1.json, reference page at /scalar)")
        {
            urls, db, readDb, device, textModel, reranker, llmEndpoint, llmModel,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            OpenMpWaitPolicy.PreferPassive();
            await ApiApplication.RunAsync(new Dictionary<string, string?>
            {
                ["Urls"] = result.GetValue(urls),
                [ConfigurationKeys.DatabaseUrl] = result.GetValue(db),
                [ConfigurationKeys.ReadDatabaseUrl] = result.GetValue(readDb),
                [ConfigurationKeys.Device] = result.GetValue(device),
                [ConfigurationKeys.TextModel] = result.GetValue(textModel),
                [ConfigurationKeys.Reranker] = result.GetValue(reranker),
                [ConfigurationKeys.LlmEndpoint] = result.GetValue(llmEndpoint),
                [ConfigurationKeys.LlmModel] = result.GetValue(llmModel),
            }, cancellationToken);
            return 0;
        });
        return command;
    }
}
