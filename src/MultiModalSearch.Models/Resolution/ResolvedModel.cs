namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// A model as the user named it (id or path), the local folder holding its files, and what it is
/// (<see cref="ModelFingerprint"/>), which collections record.
/// </summary>
public sealed record ResolvedModel(string Id, string Directory, string Fingerprint)
{
    public static ResolvedModel At(string id, string directory) => new(id, directory, ModelFingerprint.Compute(directory));
}
