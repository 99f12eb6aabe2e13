namespace MultiModalSearch.Models.Resolution;

/// <summary>A model folder whose <c>config.json</c> describes a kind of model this program does not run, or cannot be read.</summary>
public sealed class UnsupportedModelException : Exception
{
    public UnsupportedModelException() : this("The model is not supported.") { }

    public UnsupportedModelException(string message) : base(message) { }

    public UnsupportedModelException(string message, Exception inner) : base(message, inner) { }
}
