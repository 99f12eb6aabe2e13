using System.Diagnostics;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Documents;

/// <summary>Every hostile document is refused with its reason and a one-line message, or bounded, never a crash or a hang.</summary>
public class HostileDocumentTests
{
    private static DocumentRefusedException Refused(string name, byte[] content, DocumentExtractionOptions? options = null)
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File(name);
        File.WriteAllBytes(path, content);
        var refused = Assert.Throws<DocumentRefusedException>(() => DocumentExtractor.Extract(path, options));
        Assert.Equal(path, refused.Path);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.StartsWith($"Cannot extract '{path}': ", refused.Message, StringComparison.Ordinal);
        return refused;
    }

    [Fact]
    public void Encrypted_pdf_is_refused_as_encrypted()
    {
        var refused = Refused("secret.pdf", TestPdfs.Encrypted());
        Assert.Equal(DocumentRefusal.Encrypted, refused.Reason);
        Assert.Contains("encrypted", refused.Message, StringComparison.Ordinal);
        Assert.Contains("password", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_named_pdf_is_refused_as_a_content_mismatch()
    {
        byte[] html = "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"u8.ToArray();
        var refused = Refused("report.pdf", html);
        Assert.Equal(DocumentRefusal.ContentMismatch, refused.Reason);
        Assert.Contains("named .pdf but its content is HTML", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Five_thousand_pages_are_refused_before_any_page_is_read()
    {
        var clock = Stopwatch.StartNew();
        var refused = Refused("huge.pdf", TestPdfs.ManyPages(5000));
        Assert.Equal(DocumentRefusal.TooManyPages, refused.Reason);
        Assert.Contains("5000 pages, over the limit of 2000 (DocumentExtractionOptions.MaxPages)", refused.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Page_limit_is_configurable()
    {
        var refused = Refused("thirty.pdf", TestPdfs.ManyPages(30), new DocumentExtractionOptions { MaxPages = 20 });
        Assert.Contains("30 pages, over the limit of 20", refused.Message, StringComparison.Ordinal);

        using var dir = new TemporaryDirectory();
        string path = dir.File("thirty.pdf");
        File.WriteAllBytes(path, TestPdfs.ManyPages(30));
        var document = DocumentExtractor.Extract(path, new DocumentExtractionOptions { MaxPages = 30 });
        Assert.Equal(30, document.Pages.Count);
        Assert.Equal(30, document.Items.Count(i => i.Text == "One of very many pages"));
    }

    [Fact]
    public void Image_declaring_ten_billion_pixels_is_refused_before_decoding()
    {
        var refused = Refused("bomb.pdf", TestPdfs.ImageBomb());
        Assert.Equal(DocumentRefusal.ImageTooLarge, refused.Reason);
        Assert.Contains("100000x100000 pixels, over the limit of", refused.Message, StringComparison.Ordinal);
        Assert.Contains("page 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_of_100000_tiny_paths_is_bounded_and_taken_as_one_region()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("dust.pdf");
        File.WriteAllBytes(path, TestPdfs.ManyTinyPaths(100_000));
        var clock = Stopwatch.StartNew();

        var document = DocumentExtractor.Extract(path);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains(document.Warnings, w => w.Contains("100000 vector paths, over the limit of 20000", StringComparison.Ordinal));
        var figure = Assert.Single(document.Figures);
        // 400 squares a row from x = 100, 250 rows from y = 100 (bottom-left origin): the whole field, one region.
        Assert.InRange(figure.Provenance.Box!.Value.Left, 99, 101);
        Assert.InRange(figure.Provenance.Box.Value.Right, 499, 501);
        Assert.InRange(figure.Provenance.Box.Value.Bottom, 691, 693);
        Assert.Contains(document.Items, i => i.Text == "A page of dust");
    }

    [Fact]
    public void Tiny_paths_under_the_bound_are_clustered_path_by_path()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("dust.pdf");
        File.WriteAllBytes(path, TestPdfs.ManyTinyPaths(20_000));

        var document = DocumentExtractor.Extract(path);

        Assert.Empty(document.Warnings);
        var figure = Assert.Single(document.Figures); // 1-point grid: every square touches its neighbours
        Assert.InRange(figure.Provenance.Box!.Value.Width, 398, 401);
    }

    [Fact]
    public void Broken_cross_reference_table_with_objects_intact_is_recovered()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("wrong-xref.pdf");
        File.WriteAllBytes(path, TestPdfs.WrongXrefOffsets());

        var document = DocumentExtractor.Extract(path);

        Assert.Contains(document.Items, i => i.Text == "Recovered text");
    }

    [Fact]
    public void Cross_reference_table_pointing_past_the_end_is_refused_as_corrupt()
    {
        var refused = Refused("past-the-end.pdf", TestPdfs.WrongXrefOffsets(pastTheEnd: true));
        Assert.Equal(DocumentRefusal.Corrupt, refused.Reason);
        Assert.Contains("damaged", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_broken_beyond_repair_is_refused_as_corrupt()
    {
        var refused = Refused("broken.pdf", TestPdfs.BrokenBeyondRepair());
        Assert.Equal(DocumentRefusal.Corrupt, refused.Reason);
        Assert.Contains("damaged", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scanned_page_without_text_is_recorded_as_such()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("scan.pdf");
        File.WriteAllBytes(path, TestPdfs.ScannedPage(TestJpeg.Plain(300, 388)));

        var document = DocumentExtractor.Extract(path);

        var page = Assert.Single(document.Pages);
        Assert.Equal(PageTextLayer.ScannedWithoutText, page.TextLayer);
        Assert.Equal(0, page.WordCount);
        Assert.Empty(document.Items);
    }

    [Fact]
    public void Empty_and_binary_files_are_refused_as_unsupported()
    {
        Assert.Equal(DocumentRefusal.UnsupportedFormat, Refused("empty.pdf", []).Reason);
        Assert.Equal(DocumentRefusal.UnsupportedFormat, Refused("photo.jpg", TestJpeg.Plain()).Reason);
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_before_reading()
    {
        var refused = Refused("big.txt", new byte[2048], new DocumentExtractionOptions { MaxFileBytes = 1024 });
        Assert.Equal(DocumentRefusal.TooLarge, refused.Reason);
        Assert.Contains("2048 bytes, over the limit of 1024", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_refused_as_unreadable()
    {
        using var dir = new TemporaryDirectory();
        var refused = Assert.Throws<DocumentRefusedException>(() => DocumentExtractor.Extract(dir.File("missing.pdf")));
        Assert.Equal(DocumentRefusal.Unreadable, refused.Reason);
    }
}
