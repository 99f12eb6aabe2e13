namespace MultiModalSearch.Api.Uploads;

/// <summary>An upload sent with a content type that is neither multipart nor an image.</summary>
internal sealed class UnsupportedUploadException(string message) : Exception(message);
