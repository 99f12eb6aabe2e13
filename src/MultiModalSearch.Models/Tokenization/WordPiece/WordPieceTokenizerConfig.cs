using System.Text.Json;

namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>
/// What a BERT tokenizer folder says about tokenisation: normalisation switches, special tokens, the WordPiece model's
/// settings and lengths. tokenizer_config.json's switches override tokenizer.json's normaliser, as transformers'
/// BertTokenizerFast does; special_tokens_map.json fills in tokens tokenizer_config.json does not name.
/// </summary>
internal sealed record WordPieceTokenizerConfig
{
    // Hugging Face writes a huge sentinel (1e30) as model_max_length when a tokenizer has no limit.
    private const double MaxPlausibleLength = 1_000_000;

    public BertNormalization Normalization { get; init; } = BertNormalization.Uncased;

    public string ClsToken { get; init; } = "[CLS]";

    public string SepToken { get; init; } = "[SEP]";

    public string PadToken { get; init; } = "[PAD]";

    public string UnknownToken { get; init; } = "[UNK]";

    public string MaskToken { get; init; } = "[MASK]";

    public string ContinuingSubwordPrefix { get; init; } = "##";

    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>Tokens matched in the raw text before normalisation, with their ids (tokenizer.json's added_tokens);
    /// without a tokenizer.json, the special tokens found in the vocabulary are.</summary>
    public IReadOnlyList<(string Content, int Id)>? AddedTokens { get; init; }

    /// <summary>tokenizer_config.json's model_max_length, when it states a real one.</summary>
    public int? ModelMaxLength { get; init; }

    /// <summary>The truncation length saved in tokenizer.json, when there is one.</summary>
    public int? TruncationMaxLength { get; init; }

    public static WordPieceTokenizerConfig Read(string directory)
    {
        var config = new WordPieceTokenizerConfig();
        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(tokenizerJson))
        {
            config = ReadJsonFile(tokenizerJson, root => config.WithTokenizerJson(root, tokenizerJson));
        }

        var specialTokens = Path.Combine(directory, "special_tokens_map.json");
        if (File.Exists(specialTokens))
        {
            config = ReadJsonFile(specialTokens, config.WithSpecialTokens);
        }

        var tokenizerConfig = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(tokenizerConfig))
        {
            config = ReadJsonFile(tokenizerConfig, config.WithTokenizerConfig);
        }

        return config;
    }

    private static WordPieceTokenizerConfig ReadJsonFile(string path, Func<JsonElement, WordPieceTokenizerConfig> read)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path} is not a JSON object");
            }

            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private WordPieceTokenizerConfig WithTokenizerJson(JsonElement root, string path)
    {
        var config = this;
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object)
        {
            var type = String(model, "type");
            if (type is not null and not "WordPiece")
            {
                throw new InvalidDataException($"{path}: model.type is '{type}', not WordPiece: this is not a BERT tokenizer");
            }

            config = config with
            {
                UnknownToken = String(model, "unk_token") ?? UnknownToken,
                ContinuingSubwordPrefix = String(model, "continuing_subword_prefix") ?? ContinuingSubwordPrefix,
                MaxInputCharsPerWord = Int(model, "max_input_chars_per_word") ?? MaxInputCharsPerWord,
            };
            if (config.MaxInputCharsPerWord is < 1 or > 100_000)
            {
                throw new InvalidDataException($"{path}: model.max_input_chars_per_word must be between 1 and 100000 (got {config.MaxInputCharsPerWord})");
            }
        }

        if (root.TryGetProperty("normalizer", out var normalizer))
        {
            config = config with { Normalization = ReadNormalizer(normalizer, path) };
        }

        if (root.TryGetProperty("pre_tokenizer", out var preTokenizer) && preTokenizer.ValueKind == JsonValueKind.Object
            && String(preTokenizer, "type") is { } preType and not "BertPreTokenizer")
        {
            throw new InvalidDataException($"{path}: pre_tokenizer '{preType}' is not supported (only BertPreTokenizer is)");
        }

        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            config = config with
            {
                AddedTokens = added.EnumerateArray()
                    .Where(t => String(t, "content") is { Length: > 0 } && Int(t, "id") is >= 0)
                    .Select(t => (String(t, "content")!, Int(t, "id")!.Value))
                    .ToList(),
            };
        }

        if (root.TryGetProperty("truncation", out var truncation) && truncation.ValueKind == JsonValueKind.Object)
        {
            config = config with { TruncationMaxLength = Int(truncation, "max_length") };
        }

        return config;
    }

    private static BertNormalization ReadNormalizer(JsonElement normalizer, string path)
    {
        if (normalizer.ValueKind == JsonValueKind.Null)
        {
            return new BertNormalization(false, false, false, false);
        }

        var type = String(normalizer, "type");
        if (type != "BertNormalizer")
        {
            throw new InvalidDataException($"{path}: normalizer '{type}' is not supported (only BertNormalizer is)");
        }

        var lowercase = Bool(normalizer, "lowercase") ?? true;
        return new BertNormalization(
            Bool(normalizer, "clean_text") ?? true,
            Bool(normalizer, "handle_chinese_chars") ?? true,
            // null: follow lowercase, as the reference does.
            Bool(normalizer, "strip_accents") ?? lowercase,
            lowercase);
    }

    private WordPieceTokenizerConfig WithSpecialTokens(JsonElement root) => this with
    {
        ClsToken = Token(root, "cls_token") ?? ClsToken,
        SepToken = Token(root, "sep_token") ?? SepToken,
        PadToken = Token(root, "pad_token") ?? PadToken,
        UnknownToken = Token(root, "unk_token") ?? UnknownToken,
        MaskToken = Token(root, "mask_token") ?? MaskToken,
    };

    private WordPieceTokenizerConfig WithTokenizerConfig(JsonElement root)
    {
        var config = WithSpecialTokens(root);
        var lowercase = Bool(root, "do_lower_case") ?? Normalization.Lowercase;
        var stripAccents = root.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strip.GetBoolean()
            : lowercase;
        var modelMaxLength = root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number
            && max.TryGetDouble(out var length) && length is > 0 and < MaxPlausibleLength
            ? (int)length
            : (int?)null;
        return config with
        {
            Normalization = Normalization with
            {
                Lowercase = lowercase,
                StripAccents = stripAccents,
                HandleChineseChars = Bool(root, "tokenize_chinese_chars") ?? Normalization.HandleChineseChars,
            },
            ModelMaxLength = modelMaxLength ?? ModelMaxLength,
        };
    }

    // A token is written either as a string or as an AddedToken object with a "content" field.
    private static string? Token(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Object => String(value, "content"),
                _ => null,
            }
            : null;

    private static string? String(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static bool? Bool(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
