using System.Text.Json;
using System.Text.Json.Nodes;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Models.Tokenization.SentencePiece;
using MultiModalSearch.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// Writes a trained LLaVA model as a Hugging Face llava-hf folder that <see cref="LlavaSession"/> (and transformers'
/// LlavaForConditionalGeneration with LlavaProcessor) load: config.json, the SentencePiece tokenizer.model with
/// tokenizer_config.json and special_tokens_map.json, the chat template, generation_config.json,
/// preprocessor_config.json and processor_config.json, and model.safetensors in the legacy key layout.
/// </summary>
public static class LlavaFolderWriter
{
    /// <summary>
    /// The LLaVA-1.5 conversation format, "USER: &lt;image&gt;\n{question} ASSISTANT:", with the image placeholders of a
    /// turn before its text, as llava-hf's checkpoints render it.
    /// </summary>
    public const string ChatTemplate =
        "{% for message in messages %}" +
        "{% if message['role'] != 'system' %}{{ message['role'] | upper }}: {% endif %}" +
        "{% if message['content'] is string %}{{ message['content'] }} {% else %}" +
        "{% for part in message['content'] | selectattr('type', 'equalto', 'image') %}<image>\n{% endfor %}" +
        "{% for part in message['content'] | selectattr('type', 'equalto', 'text') %}{{ part['text'] }} {% endfor %}" +
        "{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}ASSISTANT:{% endif %}";

    public const string ImageToken = "<image>";
    public const string PadToken = "<pad>";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The ids after the SentencePiece pieces: &lt;image&gt;, then &lt;pad&gt;; the embedding table is padded to a multiple of 64.</summary>
    public static (int Image, int Pad, int VocabularySize) AddedTokenIds(int pieces) => (pieces, pieces + 1, (pieces + 2 + 63) / 64 * 64);

    /// <summary>tokenizer.model, tokenizer_config.json (added tokens, chat template) and special_tokens_map.json.</summary>
    public static void WriteTokenizer(string directory, SentencePieceModelFile model)
    {
        Directory.CreateDirectory(directory);
        SentencePieceModelWriter.Write(model, Path.Combine(directory, LlamaTokenizerConfig.ModelFileName));
        var (image, pad, _) = AddedTokenIds(model.Pieces.Count);
        var added = new JsonObject
        {
            ["0"] = AddedToken("<unk>"),
            ["1"] = AddedToken("<s>"),
            ["2"] = AddedToken("</s>"),
            [image.ToString(System.Globalization.CultureInfo.InvariantCulture)] = AddedToken(ImageToken),
            [pad.ToString(System.Globalization.CultureInfo.InvariantCulture)] = AddedToken(PadToken),
        };
        var config = new JsonObject
        {
            ["add_bos_token"] = true,
            ["add_eos_token"] = false,
            ["added_tokens_decoder"] = added,
            ["additional_special_tokens"] = new JsonArray(ImageToken),
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["unk_token"] = "<unk>",
            ["pad_token"] = PadToken,
            ["chat_template"] = ChatTemplate,
            ["clean_up_tokenization_spaces"] = false,
            ["legacy"] = true,
            ["model_max_length"] = 256,
            ["padding_side"] = "left",
            ["processor_class"] = "LlavaProcessor",
            ["tokenizer_class"] = "LlamaTokenizer",
        };
        Write(directory, LlamaTokenizerConfig.ConfigFileName, config);
        Write(directory, LlamaTokenizerConfig.SpecialTokensMapFileName, new JsonObject
        {
            ["additional_special_tokens"] = new JsonArray(ImageToken),
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["unk_token"] = "<unk>",
            ["pad_token"] = PadToken,
        });
        Write(directory, "chat_template.json", new JsonObject { ["chat_template"] = ChatTemplate });
    }

    /// <summary>
    /// config.json (the CLIP folder's vision_config, the decoder of <paramref name="shape"/>), generation_config.json,
    /// processor_config.json and the CLIP folder's preprocessor_config.json. Returns the config as the loader reads it.
    /// </summary>
    public static LlavaConfig WriteConfig(string directory, string visionDirectory, LlavaModelShape shape, int pieces, ScalarType saveDType)
    {
        Directory.CreateDirectory(directory);
        var (image, pad, vocabulary) = AddedTokenIds(pieces);
        var vision = ReadVisionConfig(visionDirectory);
        var text = new JsonObject
        {
            ["model_type"] = "llama",
            ["vocab_size"] = vocabulary,
            ["hidden_size"] = shape.HiddenSize,
            ["intermediate_size"] = shape.IntermediateSize,
            ["num_hidden_layers"] = shape.Layers,
            ["num_attention_heads"] = shape.AttentionHeads,
            ["num_key_value_heads"] = shape.KeyValueHeads,
            ["head_dim"] = shape.HiddenSize / shape.AttentionHeads,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = shape.MaxPositions,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["tie_word_embeddings"] = false,
            ["bos_token_id"] = 1,
            ["eos_token_id"] = 2,
            ["pad_token_id"] = pad,
            ["initializer_range"] = 0.02,
        };
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlavaForConditionalGeneration"),
            ["model_type"] = "llava",
            ["image_token_index"] = image,
            ["projector_hidden_act"] = "gelu",
            ["vision_feature_layer"] = shape.VisionFeatureLayer,
            ["vision_feature_select_strategy"] = shape.VisionFeatureSelectStrategy,
            ["multimodal_projector_bias"] = true,
            ["pad_token_id"] = pad,
            ["tie_word_embeddings"] = false,
            ["torch_dtype"] = DTypeName(saveDType),
            ["vision_config"] = vision,
            ["text_config"] = text,
        };
        var parsed = LlavaConfig.FromJson(JsonDocument.Parse(config.ToJsonString()).RootElement);
        config["image_seq_length"] = parsed.ImageSequenceLength;
        Write(directory, "config.json", config);
        Write(directory, "generation_config.json", new JsonObject { ["bos_token_id"] = 1, ["eos_token_id"] = 2, ["pad_token_id"] = pad });
        Write(directory, "processor_config.json", new JsonObject
        {
            ["image_token"] = ImageToken,
            ["num_additional_image_tokens"] = 1,
            ["patch_size"] = parsed.Vision.PatchSize,
            ["processor_class"] = "LlavaProcessor",
            ["vision_feature_select_strategy"] = shape.VisionFeatureSelectStrategy,
        });
        var preprocessor = Path.Combine(visionDirectory, "preprocessor_config.json");
        if (!File.Exists(preprocessor))
        {
            throw new FileNotFoundException($"{visionDirectory} has no preprocessor_config.json: the vision tower's image preprocessing is needed", preprocessor);
        }

        File.Copy(preprocessor, Path.Combine(directory, "preprocessor_config.json"), overwrite: true);
        return parsed;
    }

    /// <summary>model.safetensors in the llava-hf (legacy) key layout, in <paramref name="dtype"/>.</summary>
    public static void WriteWeights(string directory, LlavaForConditionalGeneration model, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = model.state_dict().Select(p => KeyValuePair.Create(p.Key, p.Value.detach().to(dtype).cpu()));
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static JsonNode ReadVisionConfig(string visionDirectory)
    {
        var path = Path.Combine(visionDirectory, "config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{visionDirectory} has no config.json: a CLIP model folder is needed for the vision tower", path);
        }

        var root = JsonNode.Parse(File.ReadAllText(path));
        var vision = root?["vision_config"] ?? throw new InvalidDataException($"{path} has no vision_config: a CLIP model folder is needed for the vision tower");
        return vision.DeepClone();
    }

    private static JsonObject AddedToken(string content) => new()
    {
        ["content"] = content,
        ["lstrip"] = false,
        ["normalized"] = false,
        ["rstrip"] = false,
        ["single_word"] = false,
        ["special"] = true,
    };

    private static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        _ => "float32",
    };

    private static void Write(string directory, string name, JsonNode node) =>
        File.WriteAllText(Path.Combine(directory, name), node.ToJsonString(Indented) + "\n");
}
