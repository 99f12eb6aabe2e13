using MultiModalSearch.Api;

// The query service on its own: `dotnet MultiModalSearch.Api.dll --urls http://127.0.0.1:8080 --Database:Url postgres://...`.
// `mms serve` runs the same composition (ApiApplication) from the command-line tool.
var flags = new ConfigurationBuilder().AddCommandLine(args).Build().AsEnumerable()
    .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
await ApiApplication.RunAsync(flags);
