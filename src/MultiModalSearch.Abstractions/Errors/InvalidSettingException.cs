namespace MultiModalSearch.Abstractions.Errors;

/// <summary>
/// A setting has a value the library cannot use. <see cref="Setting"/> names it in snake_case ("dtype", "batch_size"), so
/// each host can say it in its own terms (the CLI as <c>--batch-size</c>, the API as the JSON field); the message
/// continues that name: "must be positive (got 0)".
/// </summary>
public sealed class InvalidSettingException : ArgumentException
{
    public InvalidSettingException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    public string Setting { get; }
}
