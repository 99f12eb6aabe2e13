using System.Diagnostics;
using System.Globalization;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Imaging;

namespace MultiModalSearch.Documents.Rendering;

/// <summary>
/// Renders with poppler's <c>pdftoppm</c> (Debian package poppler-utils) as a child process, when PDFium cannot load.
/// The region is cut by pdftoppm itself (-x -y -W -H), the PPM read from its standard output, and the process killed
/// if it runs past <see cref="Timeout"/>.
/// </summary>
public sealed class PopplerPageRenderer(string executable = "pdftoppm") : IPageRenderer
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public string Name => "pdftoppm";

    public async Task<PageRender> RenderRegionAsync(string pdfPath, int page, BoundingBox? region, int dpi, CancellationToken cancellationToken = default)
    {
        RenderGeometry.Check(pdfPath, page, region, dpi);
        if (region is { } r)
            RenderGeometry.CheckPixels(pdfPath, r.Width, r.Height, dpi);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in Arguments(pdfPath, page, region, dpi))
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PageRendererUnavailableException($"{executable} is not installed (Debian: apt-get install poppler-utils): {e.Message}", e);
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                using var output = new MemoryStream();
                var copy = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                await copy;
                string error = await errors;
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0)
                    throw new DocumentRefusedException(pdfPath, ExitReason(process.ExitCode), $"pdftoppm failed on page {page} (exit {process.ExitCode}): {error.ReplaceLineEndings(" ").Trim()}");
                var (width, height, pixels) = Ppm.Read(output.GetBuffer().AsSpan(0, (int)output.Length), pdfPath);
                return new PageRender(WebpEncoder.FromPixels(pixels, width, height, 3, pdfPath), width, height);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new DocumentRefusedException(pdfPath, DocumentRefusal.TimedOut, $"pdftoppm took longer than {Timeout.TotalSeconds:0} s on page {page}");
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }

    private static DocumentRefusal ExitReason(int code) => code switch
    {
        1 => DocumentRefusal.Corrupt, // error opening the PDF
        3 => DocumentRefusal.Encrypted, // error related to PDF permissions
        _ => DocumentRefusal.Corrupt,
    };

    private static IEnumerable<string> Arguments(string pdfPath, int page, BoundingBox? region, int dpi)
    {
        string Number(double v) => ((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture);
        double scale = dpi / 72.0;
        yield return "-r";
        yield return dpi.ToString(CultureInfo.InvariantCulture);
        yield return "-f";
        yield return page.ToString(CultureInfo.InvariantCulture);
        yield return "-l";
        yield return page.ToString(CultureInfo.InvariantCulture);
        yield return "-singlefile";
        if (region is { } r)
        {
            yield return "-x";
            yield return Number(r.Left * scale);
            yield return "-y";
            yield return Number(r.Top * scale);
            yield return "-W";
            yield return Number(r.Width * scale);
            yield return "-H";
            yield return Number(r.Height * scale);
        }
        yield return pdfPath;
    }
}
