using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres.Embedded;

/// <summary>Exit code and combined output of a finished child process.</summary>
internal sealed record ProcessResult(int ExitCode, string Output);
