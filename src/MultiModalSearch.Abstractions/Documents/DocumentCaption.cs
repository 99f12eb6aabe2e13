namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// A numbered caption ("Figure 3: ...", "Fig. 3.", "Table 2", "图 3"), parsed.
/// </summary>
/// <param name="Label">What it labels, normalised: "Figure" or "Table".</param>
/// <param name="Number">The number as printed ("3", "2.1", "4a").</param>
/// <param name="Text">The whole caption as printed, label included.</param>
/// <param name="ItemIndex">The caption's <see cref="DocumentItem"/> (kind <see cref="DocumentItemKind.Caption"/>), or -1.</param>
public sealed record DocumentCaption(string Label, string Number, string Text, int ItemIndex, Provenance Provenance)
{
    /// <summary>"Figure 3", "Table 2".</summary>
    public string Reference => $"{Label} {Number}";
}
