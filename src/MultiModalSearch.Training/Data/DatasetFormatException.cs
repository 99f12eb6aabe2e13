namespace MultiModalSearch.Training.Data;

/// <summary>A manifest or caption folder that cannot be read; the message names the file and, where known, the line.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    public DatasetFormatException(string path, int line, string message)
        : base($"{path}:{line}: {message}")
    {
    }
}
