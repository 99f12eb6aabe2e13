namespace MultiModalSearch.Models.Resolution;

/// <summary>A model as the user named it (id or path) and the local folder holding its files.</summary>
public sealed record ResolvedModel(string Id, string Directory);
