namespace MultiModalSearch.Api.Contracts;

/// <summary>A collection the caller may read. <c>contents</c> counts distinct files, <c>paths</c> indexed paths.</summary>
public sealed record CollectionDto(string Name, string Model, int Dimensions, string Precision, string Visibility, long Contents, long Paths, DateTime CreatedAt);
