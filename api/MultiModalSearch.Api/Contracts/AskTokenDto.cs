namespace MultiModalSearch.Api.Contracts;

/// <summary>A piece of the answer's text (<c>token</c> event).</summary>
public sealed record AskTokenDto(string Text);
