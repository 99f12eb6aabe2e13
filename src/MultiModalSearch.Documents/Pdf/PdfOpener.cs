using MultiModalSearch.Abstractions.Documents;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace MultiModalSearch.Documents.Pdf;

/// <summary>Opens a PDF with PdfPig and turns its failures into refusals that say what is wrong.</summary>
internal static class PdfOpener
{
    public static PdfDocument Open(byte[] bytes, string path)
    {
        try
        {
            var document = PdfDocument.Open(bytes, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            _ = document.NumberOfPages; // reads the page tree: a broken catalog fails here, not halfway through
            return document;
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw new DocumentRefusedException(path, DocumentRefusal.Encrypted,
                "the PDF is encrypted and opens only with a password; decrypt it (for example with qpdf --decrypt) and add it again", e);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException or DocumentRefusedException))
        {
            throw Corrupt(path, e);
        }
    }

    public static DocumentRefusedException Corrupt(string path, Exception e) =>
        new(path, DocumentRefusal.Corrupt,
            $"the PDF is damaged beyond repair ({OneLine(e.Message)}); re-save it from the program that made it", e);

    private static string OneLine(string message)
    {
        string line = message.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
