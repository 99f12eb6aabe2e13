namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// The model named by <c>--model</c> cannot be made available locally. The message is a single line meant to be
/// shown to the user as is: it names the model, what went wrong and what to do about it.
/// </summary>
public sealed class ModelNotAvailableException : Exception
{
    public ModelNotAvailableException(string modelIdOrPath, ModelUnavailableReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        ModelIdOrPath = modelIdOrPath;
        Reason = reason;
    }

    public ModelNotAvailableException() : this("", ModelUnavailableReason.MissingFiles, "The model is not available.") { }

    public ModelNotAvailableException(string message) : this("", ModelUnavailableReason.MissingFiles, message) { }

    public ModelNotAvailableException(string message, Exception inner)
        : this("", ModelUnavailableReason.MissingFiles, message, inner) { }

    public string ModelIdOrPath { get; }

    public ModelUnavailableReason Reason { get; }
}
