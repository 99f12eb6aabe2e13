using MultiModalSearch.Abstractions.Assets;
using XmpCore;

namespace MultiModalSearch.Core.Inspection;

/// <summary>Dublin Core texts from an XMP packet, embedded or from a sidecar.</summary>
internal static class XmpTexts
{
    /// <summary>Adds dc:description then dc:title (x-default language) with the given kinds.</summary>
    public static void AddDescriptionAndTitle(IXmpMeta xmp, TextCollector texts, TextItemKind descriptionKind, TextItemKind titleKind)
    {
        texts.Add(descriptionKind, MetadataText.Clean(LocalizedText(xmp, "description")));
        texts.Add(titleKind, MetadataText.Clean(LocalizedText(xmp, "title")));
    }

    /// <summary>dc:subject items (a bag of keywords), trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Subjects(IXmpMeta xmp)
    {
        int count = Safe(() => xmp.CountArrayItems(XmpConstants.NsDC, "subject"), 0);
        for (int i = 1; i <= count; i++)
        {
            string? item = MetadataText.TrimToNull(Safe(() => xmp.GetArrayItem(XmpConstants.NsDC, "subject", i)?.Value, null));
            if (item is not null)
                yield return item;
        }
    }

    /// <summary>The x-default alternative, which XmpCore falls back from to the first one present.</summary>
    private static string? LocalizedText(IXmpMeta xmp, string property) =>
        Safe(() => xmp.GetLocalizedText(XmpConstants.NsDC, property, null, "x-default")?.Value, null);

    // XmpCore throws XmpException when a property has an unexpected shape (e.g. dc:title as a
    // simple value instead of a language alternative); such a field is skipped, never fatal.
    private static T Safe<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (XmpException)
        {
            return fallback;
        }
    }
}
