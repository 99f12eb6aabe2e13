namespace MultiModalSearch.Bench;

/// <summary>Repeated measurements of one configuration; the table reports the median and the range.</summary>
internal sealed class Measurement(string name, string unit)
{
    private readonly List<double> values = [];

    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public IReadOnlyList<double> Values => values;

    public double Median => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    public void Add(double value) => values.Add(value);

    public string Range => values.Count == 0 ? "-" : $"{values.Min():F1} - {values.Max():F1}";
}
