namespace MultiModalSearch.Api.Contracts;

/// <summary>A box on a page in PDF points, top-left origin (top &lt; bottom).</summary>
public sealed record AskBoxDto(double Left, double Top, double Right, double Bottom);
