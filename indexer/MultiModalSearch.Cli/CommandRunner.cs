using System.CommandLine;

namespace MultiModalSearch.Cli;

/// <summary>Runs the parsed command; turns expected failures into one clear line on stderr and a non-zero exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // First Ctrl+C (or SIGTERM) asks the command to finish what is in flight; a second one kills the process.
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                cancellation.Cancel();
            });
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            return await root.Parse(args).InvokeAsync(configuration, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MMS_DEBUG") != "1")
        {
            Console.Error.WriteLine($"error: {Describe(e)}");
            return 1;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        TypeInitializationException { InnerException: not null } init => Describe(init.InnerException),
        _ => e.Message,
    };
}
