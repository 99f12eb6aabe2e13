using System.Text.Json;

namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>
/// What a Hugging Face Llama tokenizer folder says besides <c>tokenizer.model</c>: <c>tokenizer_config.json</c>
/// (BOS/EOS flags, <c>legacy</c>, <c>added_tokens_decoder</c>, special token names, <c>chat_template</c>), plus the older
/// <c>added_tokens.json</c> and <c>special_tokens_map.json</c> where a checkpoint still has them.
/// </summary>
public sealed record LlamaTokenizerConfig
{
    public const string ModelFileName = "tokenizer.model";
    public const string ConfigFileName = "tokenizer_config.json";
    public const string AddedTokensFileName = "added_tokens.json";
    public const string SpecialTokensMapFileName = "special_tokens_map.json";

    public bool AddBosToken { get; init; } = true;

    public bool AddEosToken { get; init; }

    /// <summary>
    /// true (the default, and llava-hf's): every text segment between added tokens gets SentencePiece's dummy-prefix
    /// space. false: only the start of the whole text does, as Hugging Face's non-legacy Llama tokenizer.
    /// </summary>
    public bool Legacy { get; init; } = true;

    public string BosToken { get; init; } = "<s>";

    public string EosToken { get; init; } = "</s>";

    public string UnkToken { get; init; } = "<unk>";

    public string? PadToken { get; init; }

    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];

    /// <summary>The tokenizer's own Jinja chat template, if it has one.</summary>
    public string? ChatTemplate { get; init; }

    public static LlamaTokenizerConfig Read(string directory)
    {
        var config = new LlamaTokenizerConfig();
        var added = new Dictionary<int, AddedToken>();
        var specialNames = new HashSet<string>(StringComparer.Ordinal);
        var path = Path.Combine(directory, ConfigFileName);
        if (File.Exists(path))
        {
            config = ReadConfig(path, added, specialNames);
        }

        ReadSpecialTokensMap(Path.Combine(directory, SpecialTokensMapFileName), specialNames, ref config);
        ReadAddedTokensFile(Path.Combine(directory, AddedTokensFileName), added, specialNames);
        foreach (var name in new[] { config.BosToken, config.EosToken, config.UnkToken, config.PadToken })
        {
            if (name is not null)
            {
                specialNames.Add(name);
            }
        }

        var tokens = added.Values
            .Select(t => specialNames.Contains(t.Content) && !t.Special ? t with { Special = true } : t)
            .OrderBy(t => t.Id).ToList();
        return config with { AddedTokens = tokens };
    }

    private static LlamaTokenizerConfig ReadConfig(string path, Dictionary<int, AddedToken> added, HashSet<string> specialNames)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, out var id) || !entry.Value.TryGetProperty("content", out var content))
                {
                    throw new InvalidDataException($"{path}: added_tokens_decoder entry '{entry.Name}' needs an integer id and a content");
                }

                added[id] = new AddedToken(content.GetString()!, id, ReadBool(entry.Value, "special", true),
                    ReadBool(entry.Value, "lstrip", false), ReadBool(entry.Value, "rstrip", false));
            }
        }

        if (root.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in extra.EnumerateArray())
            {
                specialNames.Add(TokenContent(token) ?? "");
            }
        }

        return new LlamaTokenizerConfig
        {
            AddBosToken = ReadBool(root, "add_bos_token", true),
            AddEosToken = ReadBool(root, "add_eos_token", false),
            Legacy = !root.TryGetProperty("legacy", out var legacy) || legacy.ValueKind != JsonValueKind.False,
            BosToken = TokenContent(root, "bos_token") ?? "<s>",
            EosToken = TokenContent(root, "eos_token") ?? "</s>",
            UnkToken = TokenContent(root, "unk_token") ?? "<unk>",
            PadToken = TokenContent(root, "pad_token"),
            ChatTemplate = ReadChatTemplate(root, path),
        };
    }

    /// <summary>A template string, or from a list of named templates the one called "default".</summary>
    internal static string? ReadChatTemplate(JsonElement root, string path)
    {
        if (!root.TryGetProperty("chat_template", out var template))
        {
            return null;
        }

        if (template.ValueKind == JsonValueKind.String)
        {
            return template.GetString();
        }

        if (template.ValueKind == JsonValueKind.Array)
        {
            foreach (var named in template.EnumerateArray())
            {
                if (named.TryGetProperty("name", out var name) && name.GetString() == "default" && named.TryGetProperty("template", out var text))
                {
                    return text.GetString();
                }
            }

            throw new InvalidDataException($"{path}: chat_template is a list without a template named 'default'");
        }

        return null;
    }

    private static void ReadSpecialTokensMap(string path, HashSet<string> specialNames, ref LlamaTokenizerConfig config)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var document = Parse(path);
        var root = document.RootElement;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var token in property.Value.EnumerateArray())
                {
                    specialNames.Add(TokenContent(token) ?? "");
                }
            }
            else if (TokenContent(property.Value) is { } content)
            {
                specialNames.Add(content);
            }
        }

        // The tokenizer config's names win; the map fills in a pad token older configs leave out.
        config = config with { PadToken = config.PadToken ?? TokenContent(root, "pad_token") };
    }

    private static void ReadAddedTokensFile(string path, Dictionary<int, AddedToken> added, HashSet<string> specialNames)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var document = Parse(path);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var id = entry.Value.GetInt32();
            if (!added.ContainsKey(id))
            {
                added[id] = new AddedToken(entry.Name, id, specialNames.Contains(entry.Name));
            }
        }
    }

    private static string? TokenContent(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? TokenContent(value) : null;

    /// <summary>Special tokens are written either as a string or as an AddedToken object with a content.</summary>
    private static string? TokenContent(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
        _ => null,
    };

    private static bool ReadBool(JsonElement json, string name, bool fallback) =>
        json.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }
}
