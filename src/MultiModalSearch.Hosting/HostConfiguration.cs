using System.Collections;
using Microsoft.Extensions.Configuration;

namespace MultiModalSearch.Hosting;

/// <summary>
/// Builds a host's configuration, lowest precedence first: an optional appsettings.json, then the environment (the
/// documented <c>MMS_*</c> names and <c>MMS_Section__Key</c>), then the host's own flags (<paramref name="overrides"/>).
/// </summary>
public static class HostConfiguration
{
    public static IConfigurationRoot Build(IReadOnlyDictionary<string, string?>? overrides = null, string? appSettingsFile = null, IDictionary? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (appSettingsFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(appSettingsFile), optional: true, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("MMS_");
        builder.AddInMemoryCollection(Aliases(environment ?? Environment.GetEnvironmentVariables()));
        builder.AddInMemoryCollection(overrides?.Where(o => o.Value is not null) ?? []);
        return builder.Build();
    }

    private static IEnumerable<KeyValuePair<string, string?>> Aliases(IDictionary environment)
    {
        foreach (var (variable, key) in ConfigurationKeys.EnvironmentAliases)
        {
            if (environment[variable] is string value && value.Length > 0)
            {
                yield return new(key, value);
            }
        }
    }
}
