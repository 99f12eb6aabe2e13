namespace MultiModalSearch.Cli;

/// <summary>A mistake in how the tool was called, with a message already phrased for the user (it names the flags).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
