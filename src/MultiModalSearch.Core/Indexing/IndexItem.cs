using System.Security.Cryptography;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Inspection;
using MultiModalSearch.Imaging;

namespace MultiModalSearch.Core.Indexing;

/// <summary>One claimed asset on its way through a run: what preparation learnt, and the later copies of the same content.</summary>
internal sealed class IndexItem(WorkItem work)
{
    public WorkItem Work { get; } = work;

    /// <summary>SHA-256 of the file; setting it also sets <see cref="HashKey"/>, which the run looks up several times per file.</summary>
    public byte[] Hash
    {
        get;
        set
        {
            field = value;
            HashKey = Convert.ToHexString(value);
        }
    } = [];

    /// <summary>The file as read and hashed, kept until it is decoded: the model then sees exactly the hashed bytes.</summary>
    public FileContent? Content { get; set; }

    public AssetDetails? Details { get; set; }

    public List<AssetText> Texts { get; } = [];

    public byte[]? Thumbnail { get; set; }

    public float[]? Embedding { get; set; }

    /// <summary>A document's passages and figures (ingestion), written with the flush that records the item.</summary>
    public DocumentContent? Document { get; set; }

    public string? Error { get; set; }

    /// <summary>Other paths with this content met while this one was in flight: recorded with it, embedded once.</summary>
    public List<IndexItem> Duplicates { get; } = [];

    public string HashKey { get; private set; } = "";

    /// <summary>
    /// Everything a run learns about the file before the model: reads it into a pooled buffer (kept in
    /// <see cref="Content"/> for the decoder), hashes and inspects it, checks its pixel count, and collects its texts.
    /// Throws what a bad file makes a reader throw, having handed the buffer back.
    /// </summary>
    public void Prepare(ImageDecodeOptions decode)
    {
        try
        {
            Content = FileContent.Read(Work.Path, decode.MaxFileBytes);
            var bytes = Content.Span;
            Hash = SHA256.HashData(bytes);
            Details = AssetInspector.Inspect(bytes, Work.Path);
            ImageLimits.CheckPixels(Details.Width, Details.Height, decode, Work.Path);
            Texts.AddRange(Details.Texts);
            Texts.AddRange(AssetInspector.SidecarTexts(Work.Path));
            Texts.Add(AssetInspector.FileNameText(Work.Path));
        }
        catch
        {
            ReleaseContent();
            throw;
        }
    }

    /// <summary>Hands the read file to the caller, who disposes it; the item keeps no reference to a returned buffer.</summary>
    public FileContent TakeContent()
    {
        var content = Content ?? throw new InvalidOperationException($"{Work.Path} reached the model without its bytes");
        Content = null;
        return content;
    }

    /// <summary>For an item settled without the model: its buffer goes back to the pool now.</summary>
    public void ReleaseContent()
    {
        Content?.Dispose();
        Content = null;
    }

    /// <summary>The path, which is how messages name an item.</summary>
    public override string ToString() => Work.Path;

    public AssetResult ToResult() => new(
        Work.AssetId, Hash, Details?.MediaType, Details?.Width, Details?.Height, Details?.TakenAt,
        Details?.CameraMake, Details?.CameraModel, Details?.GpsLatitude, Details?.GpsLongitude, Details?.Orientation);
}
