namespace MultiModalSearch.Documents.Pdf;

/// <summary>Weight and typeface read from font names, where the font's own flags often say nothing (Type 1 subsets).</summary>
internal static class FontNames
{
    // NimbusRomNo9L-Medi is Times Bold; CMBX is Computer Modern bold extended.
    private static readonly string[] BoldMarks = ["Bold", "Black", "Heavy", "Semibold", "SemiBold", "Demi", "-Medi", "CMBX", "CMB10"];

    private static readonly string[] MonoMarks = ["Courier", "Mono", "CMTT", "Consol", "Typewriter", "Menlo", "Inconsolata", "NimbusMonL", "LMMono", "Code"];

    public static bool IsBold(string? name) => name is not null && BoldMarks.Any(m => name.Contains(m, StringComparison.Ordinal));

    public static bool IsMonospace(string? name) => name is not null && MonoMarks.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase));
}
