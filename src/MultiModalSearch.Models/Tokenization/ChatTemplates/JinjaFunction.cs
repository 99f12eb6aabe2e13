namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>A callable template value (a global such as <c>raise_exception</c>, or a bound method): positional and keyword arguments.</summary>
internal delegate object? JinjaFunction(IReadOnlyList<object?> arguments, IReadOnlyDictionary<string, object?> keywords);
