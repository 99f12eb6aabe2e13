using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace MultiModalSearch.Testing;

/// <summary>PDF files made in the test: layouts with known reading order and figures, and hostile documents.</summary>
public static class TestPdfs
{
    public const string LeftColumnMarker = "Leftcol";
    public const string RightColumnMarker = "Rightcol";

    /// <summary>
    /// A title across the page, then two columns whose lines share baselines (as LaTeX sets them), so reading line by
    /// line across the page would interleave them. Left-column words are "Leftcol1 ... " in order, right "Rightcol1 ...".
    /// </summary>
    public static byte[] TwoColumns(int linesPerColumn = 12)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        var page = builder.AddPage(PageSize.Letter);
        page.AddText("A Study of Two Column Reading Order", 18, new PdfPoint(120, 720), bold);
        for (int i = 0; i < linesPerColumn; i++)
        {
            double y = 680 - i * 12;
            page.AddText($"{LeftColumnMarker}{i + 1:00} words of the left column go on here", 9.5, new PdfPoint(54, y), font);
            page.AddText($"{RightColumnMarker}{i + 1:00} words of the right column go on here", 9.5, new PdfPoint(318, y), font);
        }
        return builder.Build();
    }

    /// <summary>
    /// Body text, a vector drawing (boxes joined by lines) and its caption "Figure 1: ..." below, then more body text;
    /// the drawing occupies <see cref="DrawingBox"/> (PDF user space, bottom-left origin).
    /// </summary>
    public static byte[] VectorFigure(string caption = "Figure 1: A drawing of three boxes")
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.TimesRoman);
        var page = builder.AddPage(PageSize.Letter);
        BodyLines(page, font, 720, 5, "Before the figure the text explains what the drawing shows and why.");
        page.DrawRectangle(new PdfPoint(150, 520), 80, 40, 1);
        page.DrawRectangle(new PdfPoint(380, 520), 80, 40, 1);
        page.DrawRectangle(new PdfPoint(265, 430), 80, 40, 1);
        page.DrawLine(new PdfPoint(230, 540), new PdfPoint(380, 540), 1);
        page.DrawLine(new PdfPoint(190, 520), new PdfPoint(300, 470), 1);
        page.AddText("source", 9, new PdfPoint(170, 537), font);
        page.AddText("sink", 9, new PdfPoint(405, 537), font);
        page.AddText(caption, 10, new PdfPoint(210, 400), font);
        BodyLines(page, font, 360, 5, "After the figure the text goes on about other things entirely.");
        return builder.Build();
    }

    /// <summary>Where <see cref="VectorFigure"/> draws, top-left origin on a Letter page: x 149.5-460.5, y 231.5-362.5.</summary>
    public static (double Left, double Top, double Right, double Bottom) DrawingBox => (149.5, 792 - 560.5, 460.5, 792 - 429.5);

    /// <summary>Two drawings side by side, "(a) ..." and "(b) ..." under each, one caption "Figure 2: ..." under both.</summary>
    public static byte[] SharedCaption()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.TimesRoman);
        var page = builder.AddPage(PageSize.Letter);
        BodyLines(page, font, 720, 4, "The two panels below are compared in the text that follows them.");
        page.DrawCircle(new PdfPoint(200, 550), 60, 1);
        page.DrawRectangle(new PdfPoint(350, 500), 120, 100, 1);
        page.AddText("(a) A circle drawn alone", 9, new PdfPoint(150, 470), font);
        page.AddText("(b) A square drawn alone", 9, new PdfPoint(350, 470), font);
        page.AddText("Figure 2: Two shapes that share one caption", 10, new PdfPoint(190, 440), font);
        BodyLines(page, font, 400, 4, "After the figure the text goes on about other things entirely.");
        return builder.Build();
    }

    /// <summary>A drawing at the bottom of page 1 whose caption opens page 2 (a float that did not fit).</summary>
    public static byte[] CaptionOnNextPage()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.TimesRoman);
        var first = builder.AddPage(PageSize.Letter);
        BodyLines(first, font, 720, 10, "The first page has text at the top and a drawing at its bottom.");
        first.DrawRectangle(new PdfPoint(150, 150), 300, 250, 1);
        first.DrawLine(new PdfPoint(150, 150), new PdfPoint(450, 400), 1);
        var second = builder.AddPage(PageSize.Letter);
        second.AddText("Figure 3: The drawing on the page before", 10, new PdfPoint(200, 720), font);
        BodyLines(second, font, 680, 10, "The second page goes on with the text after the caption at its top.");
        return builder.Build();
    }

    /// <summary>A page that is one big image and no text: a scan without a text layer.</summary>
    public static byte[] ScannedPage(byte[] jpeg)
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.Letter);
        page.AddJpeg(jpeg, new PdfRectangle(0, 0, 612, 792));
        return builder.Build();
    }

    /// <summary>A PDF of <paramref name="pages"/> pages: one page object shared by the whole page tree, so 5,000 pages cost a few kilobytes.</summary>
    public static byte[] ManyPages(int pages)
    {
        var kids = string.Join(" ", Enumerable.Range(0, pages).Select(_ => "3 0 R"));
        var objects = new List<byte[]>
        {
            RawPdf.Dictionary("<< /Type /Catalog /Pages 2 0 R >>"),
            RawPdf.Dictionary($"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"),
            RawPdf.Dictionary("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"),
            RawPdf.Stream("<< >>", Encoding.Latin1.GetBytes("BT /F1 12 Tf 72 720 Td (One of very many pages) Tj ET")),
            RawPdf.Dictionary("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        };
        return RawPdf.Build(objects);
    }

    /// <summary>One page with <paramref name="count"/> tiny filled squares (0.5 pt, on a 1 pt grid) and a line of text.</summary>
    public static byte[] ManyTinyPaths(int count)
    {
        var content = new StringBuilder("BT /F1 12 Tf 72 740 Td (A page of dust) Tj ET\n0 0 0 rg\n", count * 24);
        int perRow = 400;
        for (int i = 0; i < count; i++)
            content.Append(CultureInfo.InvariantCulture, $"{100 + (i % perRow)} {100 + (i / perRow)} 0.5 0.5 re f\n");
        return RawPdf.OnePage(content.ToString());
    }

    /// <summary>
    /// An image XObject that declares 100,000 x 100,000 RGB pixels (30 GB decoded) over a small Flate stream: a
    /// decompression bomb for any reader that trusts the declared size.
    /// </summary>
    public static byte[] ImageBomb()
    {
        var image = RawPdf.Stream("<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB /BitsPerComponent 8 >>",
            new byte[4 * 1024 * 1024], flate: true);
        return RawPdf.OnePage("BT /F1 12 Tf 72 740 Td (Look below) Tj ET\nq 400 0 0 400 100 200 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>", [image]);
    }

    /// <summary>
    /// A PDF encrypted with the standard security handler (RC4, revision 3) under a user password that is not empty:
    /// the /O and /U entries are not those of the empty password, so no reader can open it without the password.
    /// </summary>
    public static byte[] Encrypted()
    {
        string o = new('a', 64), u = new('b', 64);
        var encrypt = RawPdf.Dictionary($"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <{o}> /U <{u}> >>");
        return RawPdf.OnePage("BT /F1 12 Tf 72 740 Td (Secret) Tj ET", more: [encrypt],
            trailerExtra: "/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]");
    }

    /// <summary>
    /// A valid one-page PDF whose cross-reference table is off: every offset 7 bytes late (as after an edit that did
    /// not rewrite the table) and, with <paramref name="pastTheEnd"/>, pointing past the end of the file.
    /// </summary>
    public static byte[] WrongXrefOffsets(bool pastTheEnd = false)
    {
        byte[] pdf = RawPdf.OnePage("BT /F1 12 Tf 72 740 Td (Recovered text) Tj ET");
        string text = Encoding.Latin1.GetString(pdf);
        int xref = text.IndexOf("xref\n", StringComparison.Ordinal);
        var rows = text[xref..].Split('\n');
        for (int i = 3; i < rows.Length && rows[i].EndsWith(" n ", StringComparison.Ordinal); i++)
        {
            long offset = long.Parse(rows[i][..10], CultureInfo.InvariantCulture) + (pastTheEnd ? pdf.Length : 7);
            rows[i] = $"{offset:D10} 00000 n ";
        }
        return Encoding.Latin1.GetBytes(text[..xref] + string.Join('\n', rows));
    }

    /// <summary>A PDF whose cross-reference table and object bodies are overwritten: nothing is left to recover.</summary>
    public static byte[] BrokenBeyondRepair()
    {
        byte[] pdf = RawPdf.OnePage("BT /F1 12 Tf 72 740 Td (Lost text) Tj ET");
        string text = Encoding.Latin1.GetString(pdf);
        int firstObject = text.IndexOf("1 0 obj", StringComparison.Ordinal);
        int startxref = text.IndexOf("startxref", StringComparison.Ordinal);
        var broken = new StringBuilder(text[..firstObject]);
        broken.Append('\0', startxref - firstObject);
        broken.Append("startxref\n123456\n%%EOF\n");
        return Encoding.Latin1.GetBytes(broken.ToString());
    }

    private static void BodyLines(PdfPageBuilder page, PdfDocumentBuilder.AddedFont font, double top, int lines, string sentence)
    {
        for (int i = 0; i < lines; i++)
            page.AddText($"{sentence} Line {i + 1} of the paragraph continues to the margin.", 10, new PdfPoint(72, top - i * 12), font);
    }
}
