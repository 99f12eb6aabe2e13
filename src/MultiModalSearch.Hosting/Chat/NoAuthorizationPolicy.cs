using System.ClientModel.Primitives;

namespace MultiModalSearch.Hosting.Chat;

/// <summary>
/// Sends requests to an OpenAI-compatible server without an Authorization header. The OpenAI client always sends its
/// key, and local servers (ours, llama.cpp's, Ollama) are often keyless; ours refuses a key it does not know.
/// </summary>
internal sealed class NoAuthorizationPolicy : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Remove("Authorization");
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Remove("Authorization");
        return ProcessNextAsync(message, pipeline, currentIndex);
    }
}
