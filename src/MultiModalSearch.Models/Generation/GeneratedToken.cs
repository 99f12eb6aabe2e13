namespace MultiModalSearch.Models.Generation;

/// <summary>One generated token: its id and the raw logit the model gave it (before penalty and temperature).</summary>
public readonly record struct GeneratedToken(int Id, float Logit);
