using System.CommandLine;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Cli;

/// <summary>
/// Runs the parsed command; turns expected failures into one clear line on stderr and a non-zero exit code: 2 for a
/// mistake in the arguments (nothing was done), 1 for a failure while working, 130 when interrupted.
/// </summary>
internal static partial class CommandRunner
{
    public const int UsageError = 2;

    /// <summary>
    /// How every command is invoked, the demo's nested ones included. ProcessTerminationTimeout = null: System.CommandLine
    /// must not install its own SIGINT/SIGTERM handling. Its default gives the command 2 s after a signal and then returns
    /// 130/143 while the work is still running, so the process exits in the middle of recording a flush, never releases
    /// its claims, and a late signal handler ran into the already disposed token source of <see cref="RunAsync"/> (an
    /// unhandled exception at exit). Exceptions reach <see cref="RunAsync"/>, which turns them into one line.
    /// </summary>
    public static InvocationConfiguration Invocation() => new() { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        // Never disposed: a signal handler may still run on its own thread after the command has returned.
        var cancellation = new CancellationTokenSource();
        // First Ctrl+C (or SIGTERM) asks the command to finish what is in flight; a second one kills the process.
        Console.CancelKeyPress += (_, e) => e.Cancel = RequestStop(cancellation);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => context.Cancel = RequestStop(cancellation));
        try
        {
            var configuration = Invocation();
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // One line and a pointer to the help, rather than the whole help text after the error.
                var command = string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? ["mms"] : ["mms", parsed.CommandResult.Command.Name]);
                // An unknown word says more than the "required command" error System.CommandLine lists first for it.
                var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
                Console.Error.WriteLine($"error: {ParseError(error.Message)} (see '{command} --help')");
                return UsageError;
            }

            return await parsed.InvokeAsync(configuration, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MMS_DEBUG") != "1")
        {
            Console.Error.WriteLine($"error: {OneLine(Describe(e))}");
            return IsUsageError(e) ? UsageError : 1;
        }
    }

    /// <summary>True (keep running, the command stops by itself) the first time; false (terminate now) after that.</summary>
    private static bool RequestStop(CancellationTokenSource cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return false;
        }

        cancellation.Cancel();
        return true;
    }

    /// <summary>The library's typed errors, said in the tool's own terms: settings as the flags that set them.</summary>
    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        TypeInitializationException { InnerException: { } inner } => Describe(inner),
        InvalidSettingException { Setting: "query" } setting => setting.Message,
        InvalidSettingException setting => $"--{setting.Setting.Replace('_', '-')} {setting.Message}",
        DatabaseUrlException or StorageUnavailableException => $"{e.Message} (the database is set by --db or MMS_DATABASE_URL)",
        ModelNotAvailableException => $"{e.Message} (the model is set by --model or MMS_MODEL)",
        CollectionMismatchException or ModelChangedException => $"{e.Message} ('mms collection delete NAME --yes' deletes a collection)",
        ArgumentException argument => WithoutParameterName(argument),
        _ => e.Message,
    };

    /// <summary>.NET appends " (Parameter 'name')" to argument errors, which means nothing to the user of a command.</summary>
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    private static bool IsUsageError(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => IsUsageError(aggregate.InnerExceptions[0]),
        CliUsageException or InvalidSettingException or DatabaseUrlException => true,
        _ => false,
    };

    /// <summary>System.CommandLine's conversion errors name .NET types ("System.Int32"); say what the value should be.</summary>
    private static string ParseError(string message)
    {
        var match = ConversionError().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var expected = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            var other => other,
        };
        return $"{match.Groups["option"].Value} expects {expected} (got '{match.Groups["value"].Value}')";
    }

    /// <summary>Whatever a message holds (a path with a newline, a server's multi-line error), the error is one line.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    [System.Text.RegularExpressions.GeneratedRegex("Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>.*)' as expected type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex ConversionError();
}
