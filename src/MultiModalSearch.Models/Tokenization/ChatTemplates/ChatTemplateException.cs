namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// A chat template that cannot be parsed or rendered: a construct outside the supported Jinja subset, a syntax error,
/// or the template's own <c>raise_exception</c> (for example a role order it does not accept).
/// </summary>
public sealed class ChatTemplateException(string message) : Exception(message);
