using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using MultiModalSearch.Api.Problems;

namespace MultiModalSearch.Api.Uploads;

/// <summary>
/// The query image of an upload: the multipart field <c>file</c>, or the raw body sent with an image content type.
/// The size limit is Kestrel's (a larger body fails with 413 while it is read); what the bytes are is the decoder's
/// business (it refuses non-images and decompression bombs).
/// </summary>
internal static class UploadReader
{
    public const string FieldName = "file";

    public static async Task<(byte[] Bytes, string Name)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        var contentType = request.ContentType ?? "";
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, maxBytes, cancellationToken);
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var type) || !(type.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UnsupportedUploadException($"send the image as multipart/form-data (field '{FieldName}') or as the body with an image/* content type (got '{Shorten(contentType)}')");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length == 0 ? throw new MalformedUploadException("the request body is empty: send the image") : (buffer.ToArray(), "<upload>");
    }

    private static async Task<(byte[] Bytes, string Name)> ReadFormAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes, ValueCountLimit = 64, MultipartHeadersLengthLimit = 16 * 1024 }, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException("the upload is larger than allowed", StatusCodes.Status413PayloadTooLarge, e);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new MalformedUploadException("the multipart body is malformed or truncated", e);
        }

        var file = form.Files.GetFile(FieldName) ?? throw new MalformedUploadException($"the multipart body has no file field '{FieldName}'");
        if (file.Length == 0)
        {
            throw new MalformedUploadException($"the file in field '{FieldName}' is empty");
        }

        using var buffer = new MemoryStream((int)Math.Min(file.Length, maxBytes));
        await file.CopyToAsync(buffer, cancellationToken);
        return (buffer.ToArray(), string.IsNullOrWhiteSpace(file.FileName) ? "<upload>" : Path.GetFileName(file.FileName));
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
