using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace MultiModalSearch.Models.Hub;

/// <summary>A Hub model id <c>org/name</c> with the revision from an optional <c>@revision</c> suffix.</summary>
internal sealed partial record HubRepoId(string RepoId, string Revision)
{
    public const string DefaultRevision = "main";

    /// <summary>The cache folder name huggingface_hub uses: <c>models--org--name</c>.</summary>
    public string CacheFolderName => "models--" + RepoId.Replace("/", "--", StringComparison.Ordinal);

    public string DisplayName => Revision == DefaultRevision ? RepoId : $"{RepoId}@{Revision}";

    public static bool TryParse(string text, [NotNullWhen(true)] out HubRepoId? id)
    {
        id = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var repo = at < 0 ? text : text[..at];
        var revision = at < 0 ? DefaultRevision : text[(at + 1)..];
        // The Hub forbids "--" and ".." in names; rejecting them here also keeps the cache folder name unambiguous.
        if (!RepoIdPattern().IsMatch(repo) || repo.Contains("--", StringComparison.Ordinal) || repo.Contains("..", StringComparison.Ordinal))
            return false;
        if (revision.Length == 0 || revision.Any(char.IsWhiteSpace) || revision.Contains("..", StringComparison.Ordinal))
            return false;
        id = new HubRepoId(repo, revision);
        return true;
    }

    /// <summary>A full 40-hex git commit hash names an immutable snapshot, so the cache can answer alone.</summary>
    public static bool IsCommitHash(string revision) => CommitPattern().IsMatch(revision);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex RepoIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
