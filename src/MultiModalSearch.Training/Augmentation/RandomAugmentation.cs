using System.Globalization;

namespace MultiModalSearch.Training.Augmentation;

/// <summary>
/// One random augmentation's settings: each training image gets it with <see cref="Probability"/>, at an amount drawn
/// up to <see cref="Strength"/> (whose unit each augmentation defines). Written <c>P</c> or <c>P:S</c>, e.g. <c>0.5:0.3</c>.
/// </summary>
public readonly record struct RandomAugmentation(double Probability, double Strength)
{
    public static RandomAugmentation Off => default;

    public bool IsOn => Probability > 0;

    /// <summary>Parses <c>P</c> (strength 0) or <c>P:S</c> with invariant-culture numbers.</summary>
    /// <exception cref="FormatException">The text is not one or two numbers separated by a colon.</exception>
    public static RandomAugmentation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length > 2 || !TryNumber(parts[0], out var probability))
        {
            throw new FormatException($"'{text}' is not PROBABILITY or PROBABILITY:STRENGTH (e.g. 0.5:0.3)");
        }

        var strength = 0.0;
        if (parts.Length == 2 && !TryNumber(parts[1], out strength))
        {
            throw new FormatException($"'{text}' is not PROBABILITY or PROBABILITY:STRENGTH (e.g. 0.5:0.3)");
        }

        return new RandomAugmentation(probability, strength);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Probability}:{Strength}");

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
