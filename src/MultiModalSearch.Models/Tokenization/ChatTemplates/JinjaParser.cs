using System.Text;

namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// Parses template segments into delegates: statements render into a StringBuilder, expressions evaluate to values.
/// Statements: <c>for</c> (with <c>if</c> filter, tuple targets, <c>else</c>, <c>loop.*</c>), <c>if/elif/else</c>,
/// <c>set</c> (names, namespace attributes, blocks), <c>generation</c>, <c>break</c>, <c>continue</c>. Expressions follow
/// Jinja's precedence: conditional, or, and, not, comparisons/in/is, +/-, ~, *,/,//,%, unary, then filters, tests,
/// calls, attributes, items and slices on a literal, name, list, dict or parenthesised expression.
/// </summary>
internal sealed class JinjaParser
{
    private readonly List<JinjaSegment> segments;
    private int segmentIndex;
    private List<JinjaToken> tokens = [];
    private int tokenIndex;
    private int line;

    private JinjaParser(List<JinjaSegment> segments)
    {
        this.segments = segments;
    }

    public static Action<JinjaScope, StringBuilder> Parse(string source)
    {
        var parser = new JinjaParser(JinjaTemplateLexer.Split(source));
        var (body, end) = parser.ParseBody([]);
        if (end is not null)
        {
            throw new ChatTemplateException($"chat template line {parser.line}: '{end}' without a matching opening tag");
        }

        return Sequence(body);
    }

    private static Action<JinjaScope, StringBuilder> Sequence(List<Action<JinjaScope, StringBuilder>> body) => (scope, output) =>
    {
        foreach (var statement in body)
        {
            statement(scope, output);
        }
    };

    /// <summary>Statements up to one of <paramref name="ends"/> (consumed; its tokens stay current), or to the end of the template.</summary>
    private (List<Action<JinjaScope, StringBuilder>> Body, string? End) ParseBody(string[] ends)
    {
        var body = new List<Action<JinjaScope, StringBuilder>>();
        while (segmentIndex < segments.Count)
        {
            var segment = segments[segmentIndex++];
            line = segment.Line;
            switch (segment.Kind)
            {
                case JinjaSegmentKind.Text:
                    var text = segment.Content;
                    body.Add((_, output) => output.Append(text));
                    break;
                case JinjaSegmentKind.Output:
                    StartTag(segment);
                    var expression = ParseExpression();
                    ExpectEnd();
                    body.Add((scope, output) => output.Append(JinjaValues.ToText(expression(scope))));
                    break;
                default:
                    StartTag(segment);
                    var keyword = Next().Text;
                    if (ends.Contains(keyword))
                    {
                        return (body, keyword);
                    }

                    body.Add(ParseStatement(keyword));
                    break;
            }
        }

        if (ends.Length > 0)
        {
            throw new ChatTemplateException($"chat template line {line}: missing '{{% {ends[^1]} %}}'");
        }

        return (body, null);
    }

    private Action<JinjaScope, StringBuilder> ParseStatement(string keyword) => keyword switch
    {
        "for" => ParseFor(),
        "if" => ParseIf(),
        "set" => ParseSet(),
        "generation" => ParseGeneration(),
        "break" or "continue" => ParseLoopSignal(keyword == "break"),
        "elif" or "else" or "endif" or "endfor" or "endset" or "endgeneration" =>
            throw new ChatTemplateException($"chat template line {line}: '{keyword}' without a matching opening tag"),
        _ => throw new ChatTemplateException(
            $"chat template line {line} uses the '{keyword}' statement, which this renderer does not support " +
            "(supported: for, if/elif/else, set, generation, break, continue); see docs/llava.md"),
    };

    private Action<JinjaScope, StringBuilder> ParseFor()
    {
        var targets = new List<string> { ExpectName() };
        while (Accept(","))
        {
            targets.Add(ExpectName());
        }

        ExpectKeyword("in");
        var iterable = ParseOr();
        var condition = AcceptKeyword("if") ? ParseExpression() : null;
        ExpectEnd();
        var (body, end) = ParseBody(["else", "endfor"]);
        List<Action<JinjaScope, StringBuilder>> otherwise = [];
        if (end == "else")
        {
            ExpectEnd();
            (otherwise, _) = ParseBody(["endfor"]);
        }

        ExpectEnd();
        var forLine = line;
        var run = Sequence(body);
        var runOtherwise = Sequence(otherwise);
        return (scope, output) =>
        {
            var items = JinjaValues.Iterate(iterable(scope), forLine);
            if (condition is not null)
            {
                items = items.Where(item =>
                {
                    scope.Push();
                    try
                    {
                        Bind(scope, targets, item, forLine);
                        return JinjaValues.IsTruthy(condition(scope));
                    }
                    finally
                    {
                        scope.Pop();
                    }
                }).ToList();
            }

            if (items.Count == 0)
            {
                runOtherwise(scope, output);
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                scope.Push();
                try
                {
                    Bind(scope, targets, items[i], forLine);
                    scope.Set("loop", LoopInfo(items, i));
                    run(scope, output);
                }
                catch (JinjaLoopSignal signal)
                {
                    if (signal.IsBreak)
                    {
                        break;
                    }
                }
                finally
                {
                    scope.Pop();
                }
            }
        };
    }

    private static void Bind(JinjaScope scope, List<string> targets, object? item, int line)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], item);
            return;
        }

        var parts = JinjaValues.Iterate(item, line);
        if (parts.Count != targets.Count)
        {
            throw new ChatTemplateException($"chat template line {line}: cannot unpack {parts.Count} values into {targets.Count} names");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            scope.Set(targets[i], parts[i]);
        }
    }

    private static Dictionary<string, object?> LoopInfo(List<object?> items, int i) => new(StringComparer.Ordinal)
    {
        ["index"] = (long)(i + 1),
        ["index0"] = (long)i,
        ["revindex"] = (long)(items.Count - i),
        ["revindex0"] = (long)(items.Count - i - 1),
        ["first"] = i == 0,
        ["last"] = i == items.Count - 1,
        ["length"] = (long)items.Count,
        ["previtem"] = i > 0 ? items[i - 1] : new JinjaUndefined("previtem"),
        ["nextitem"] = i < items.Count - 1 ? items[i + 1] : new JinjaUndefined("nextitem"),
    };

    private Action<JinjaScope, StringBuilder> ParseIf()
    {
        var branches = new List<(Func<JinjaScope, object?>? Condition, Action<JinjaScope, StringBuilder> Body)>();
        var condition = ParseExpression();
        ExpectEnd();
        while (true)
        {
            var (body, end) = ParseBody(["elif", "else", "endif"]);
            branches.Add((condition, Sequence(body)));
            if (end == "endif")
            {
                ExpectEnd();
                break;
            }

            condition = end == "elif" ? ParseExpression() : null;
            ExpectEnd();
            if (end == "else")
            {
                var (last, _) = ParseBody(["endif"]);
                ExpectEnd();
                branches.Add((null, Sequence(last)));
                break;
            }
        }

        return (scope, output) =>
        {
            foreach (var (test, body) in branches)
            {
                if (test is null || JinjaValues.IsTruthy(test(scope)))
                {
                    body(scope, output);
                    return;
                }
            }
        };
    }

    private Action<JinjaScope, StringBuilder> ParseSet()
    {
        var name = ExpectName();
        var attribute = Accept(".") ? ExpectName() : null;
        var setLine = line;
        Func<JinjaScope, object?> value;
        if (Accept("="))
        {
            value = ParseExpression();
            ExpectEnd();
        }
        else
        {
            // Block assignment: {% set name %}...{% endset %} captures the rendered body.
            ExpectEnd();
            var (body, _) = ParseBody(["endset"]);
            ExpectEnd();
            var run = Sequence(body);
            value = scope =>
            {
                var captured = new StringBuilder();
                run(scope, captured);
                return captured.ToString();
            };
        }

        return (scope, _) =>
        {
            if (attribute is null)
            {
                scope.Set(name, value(scope));
                return;
            }

            if (scope.Get(name) is not JinjaNamespace space)
            {
                throw new ChatTemplateException($"chat template line {setLine}: cannot set '{name}.{attribute}': '{name}' is not a namespace()");
            }

            space[attribute] = value(scope);
        };
    }

    /// <summary>transformers' {% generation %} marks the assistant's tokens for training masks; for rendering it is transparent.</summary>
    private Action<JinjaScope, StringBuilder> ParseGeneration()
    {
        ExpectEnd();
        var (body, _) = ParseBody(["endgeneration"]);
        ExpectEnd();
        return Sequence(body);
    }

    private Action<JinjaScope, StringBuilder> ParseLoopSignal(bool isBreak)
    {
        ExpectEnd();
        return (_, _) => throw new JinjaLoopSignal(isBreak);
    }

    // ---- expressions ----

    private Func<JinjaScope, object?> ParseExpression()
    {
        var value = ParseOr();
        if (!AcceptKeyword("if"))
        {
            return value;
        }

        var condition = ParseOr();
        var otherwise = AcceptKeyword("else") ? ParseExpression() : null;
        return scope => JinjaValues.IsTruthy(condition(scope)) ? value(scope) : otherwise?.Invoke(scope) ?? new JinjaUndefined("else");
    }

    private Func<JinjaScope, object?> ParseOr()
    {
        var left = ParseAnd();
        while (AcceptKeyword("or"))
        {
            var (a, b) = (left, ParseAnd());
            left = scope => a(scope) is var x && JinjaValues.IsTruthy(x) ? x : b(scope);
        }

        return left;
    }

    private Func<JinjaScope, object?> ParseAnd()
    {
        var left = ParseNot();
        while (AcceptKeyword("and"))
        {
            var (a, b) = (left, ParseNot());
            left = scope => a(scope) is var x && !JinjaValues.IsTruthy(x) ? x : b(scope);
        }

        return left;
    }

    private Func<JinjaScope, object?> ParseNot()
    {
        if (AcceptKeyword("not"))
        {
            var operand = ParseNot();
            return scope => !JinjaValues.IsTruthy(operand(scope));
        }

        return ParseComparison();
    }

    private Func<JinjaScope, object?> ParseComparison()
    {
        var left = ParseAdditive();
        var at = line;
        while (true)
        {
            var a = left;
            if (Peek().Kind == JinjaTokenKind.Operator && Peek().Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = Next().Text;
                var b = ParseAdditive();
                left = op switch
                {
                    "==" => scope => JinjaValues.Equals(a(scope), b(scope)),
                    "!=" => scope => !JinjaValues.Equals(a(scope), b(scope)),
                    "<" => scope => JinjaValues.Compare(a(scope), b(scope), at) < 0,
                    ">" => scope => JinjaValues.Compare(a(scope), b(scope), at) > 0,
                    "<=" => scope => JinjaValues.Compare(a(scope), b(scope), at) <= 0,
                    _ => scope => JinjaValues.Compare(a(scope), b(scope), at) >= 0,
                };
            }
            else if (AcceptKeyword("in"))
            {
                var b = ParseAdditive();
                left = scope => JinjaBuiltins.Contains(b(scope), a(scope), at);
            }
            else if (Peek().Is("not") && PeekAt(1).Is("in"))
            {
                Next();
                Next();
                var b = ParseAdditive();
                left = scope => !JinjaBuiltins.Contains(b(scope), a(scope), at);
            }
            else
            {
                return left;
            }
        }
    }

    private Func<JinjaScope, object?> ParseAdditive()
    {
        var left = ParseConcat();
        var at = line;
        while (Peek().Kind == JinjaTokenKind.Operator && Peek().Text is "+" or "-")
        {
            var op = Next().Text;
            var (a, b) = (left, ParseConcat());
            left = op == "+" ? scope => Add(a(scope), b(scope), at) : scope => Arithmetic(a(scope), b(scope), '-', at);
        }

        return left;
    }

    private Func<JinjaScope, object?> ParseConcat()
    {
        var left = ParseMultiplicative();
        while (Accept("~"))
        {
            var (a, b) = (left, ParseMultiplicative());
            left = scope => JinjaValues.ToText(a(scope)) + JinjaValues.ToText(b(scope));
        }

        return left;
    }

    private Func<JinjaScope, object?> ParseMultiplicative()
    {
        var left = ParseUnary();
        var at = line;
        while (Peek().Kind == JinjaTokenKind.Operator && Peek().Text is "*" or "/" or "//" or "%")
        {
            var op = Next().Text;
            var (a, b) = (left, ParseUnary());
            left = op switch
            {
                "*" => scope => a(scope) is string s && b(scope) is long n ? string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, n))) : Arithmetic(a(scope), b(scope), '*', at),
                "/" => scope => JinjaValues.ToDouble(a(scope)) / JinjaValues.ToDouble(b(scope)),
                "//" => scope => Arithmetic(a(scope), b(scope), 'f', at),
                _ => scope => Arithmetic(a(scope), b(scope), '%', at),
            };
        }

        return left;
    }

    private Func<JinjaScope, object?> ParseUnary()
    {
        var at = line;
        if (Accept("-"))
        {
            var operand = ParseUnary();
            return scope => operand(scope) switch
            {
                long l => (object)(-l),
                double d => -d,
                var other => throw new ChatTemplateException($"chat template line {at}: cannot negate {JinjaValues.TypeName(other)}"),
            };
        }

        if (Accept("+"))
        {
            return ParseUnary();
        }

        return ParseFiltersAndTests(ParsePostfix(ParsePrimary()));
    }

    private Func<JinjaScope, object?> ParseFiltersAndTests(Func<JinjaScope, object?> value)
    {
        var at = line;
        while (true)
        {
            var subject = value;
            if (Accept("|"))
            {
                var name = ExpectName();
                var (arguments, keywords) = Peek().Is("(") ? ParseArguments() : ([], []);
                value = scope => JinjaBuiltins.Filter(name, subject(scope), Evaluate(arguments, scope), EvaluateKeywords(keywords, scope), at);
            }
            else if (AcceptKeyword("is"))
            {
                var negate = AcceptKeyword("not");
                var name = Peek().Kind == JinjaTokenKind.Operator && Peek().Text is "==" or "!=" ? Next().Text : ExpectName();
                List<Func<JinjaScope, object?>> arguments = [];
                if (Peek().Is("("))
                {
                    (arguments, _) = ParseArguments();
                }
                else if (StartsPrimary(Peek()))
                {
                    arguments = [ParsePostfix(ParsePrimary())];
                }

                value = scope => JinjaBuiltins.Test(name, subject(scope), Evaluate(arguments, scope), at) != negate;
            }
            else
            {
                return value;
            }
        }
    }

    private Func<JinjaScope, object?> ParsePostfix(Func<JinjaScope, object?> value)
    {
        var at = line;
        while (true)
        {
            var subject = value;
            if (Accept("."))
            {
                var name = Next().Text;
                value = scope => JinjaBuiltins.Attribute(subject(scope), name, at);
            }
            else if (Accept("["))
            {
                value = ParseSubscript(subject, at);
            }
            else if (Peek().Is("("))
            {
                var (arguments, keywords) = ParseArguments();
                value = scope => subject(scope) is JinjaFunction function
                    ? function(Evaluate(arguments, scope), EvaluateKeywords(keywords, scope))
                    : throw new ChatTemplateException($"chat template line {at}: {JinjaValues.TypeName(subject(scope))} is not callable");
            }
            else
            {
                return value;
            }
        }
    }

    private Func<JinjaScope, object?> ParseSubscript(Func<JinjaScope, object?> subject, int at)
    {
        Func<JinjaScope, object?>? start = Peek().Is(":") ? null : ParseExpression();
        if (!Accept(":"))
        {
            Expect("]");
            return scope => JinjaValues.GetItem(subject(scope), start!(scope), at);
        }

        var stop = Peek().Is("]") || Peek().Is(":") ? null : ParseExpression();
        var step = Accept(":") && !Peek().Is("]") ? ParseExpression() : null;
        Expect("]");
        return scope => JinjaValues.Slice(subject(scope), Index(start, scope), Index(stop, scope), Index(step, scope), at);
    }

    private static long? Index(Func<JinjaScope, object?>? bound, JinjaScope scope) =>
        bound?.Invoke(scope) is long l ? l : null;

    private Func<JinjaScope, object?> ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case JinjaTokenKind.String:
                var text = (string)token.Value!;
                while (Peek().Kind == JinjaTokenKind.String)
                {
                    text += (string)Next().Value!;
                }

                return _ => text;
            case JinjaTokenKind.Integer or JinjaTokenKind.Float:
                var number = token.Value;
                return _ => number;
            case JinjaTokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => _ => true,
                    "false" or "False" => _ => false,
                    "none" or "None" => _ => null,
                    var name => scope => scope.Get(name),
                };
            case JinjaTokenKind.Operator when token.Text == "(":
                return ParseParenthesised();
            case JinjaTokenKind.Operator when token.Text == "[":
                var items = ParseSequence("]");
                return scope => Evaluate(items, scope).ToList();
            case JinjaTokenKind.Operator when token.Text == "{":
                return ParseDictionary();
            default:
                throw new ChatTemplateException($"chat template line {line}: unexpected {token} in an expression");
        }
    }

    private Func<JinjaScope, object?> ParseParenthesised()
    {
        var items = ParseSequence(")");
        return items.Count == 1 ? items[0] : scope => Evaluate(items, scope).ToList();
    }

    private Func<JinjaScope, object?> ParseDictionary()
    {
        var entries = new List<(Func<JinjaScope, object?> Key, Func<JinjaScope, object?> Value)>();
        while (!Accept("}"))
        {
            var key = ParseExpression();
            Expect(":");
            entries.Add((key, ParseExpression()));
            if (!Accept(","))
            {
                Expect("}");
                break;
            }
        }

        var at = line;
        return scope => entries.ToDictionary(
            e => e.Key(scope) as string ?? throw new ChatTemplateException($"chat template line {at}: dictionary keys must be strings"),
            e => e.Value(scope), StringComparer.Ordinal);
    }

    private List<Func<JinjaScope, object?>> ParseSequence(string close)
    {
        var items = new List<Func<JinjaScope, object?>>();
        while (!Accept(close))
        {
            items.Add(ParseExpression());
            if (!Accept(","))
            {
                Expect(close);
                break;
            }
        }

        return items;
    }

    private (List<Func<JinjaScope, object?>> Positional, List<(string Name, Func<JinjaScope, object?> Value)> Keywords) ParseArguments()
    {
        Expect("(");
        var positional = new List<Func<JinjaScope, object?>>();
        var keywords = new List<(string, Func<JinjaScope, object?>)>();
        while (!Accept(")"))
        {
            if (Peek().Kind == JinjaTokenKind.Name && PeekAt(1).Is("="))
            {
                var name = Next().Text;
                Next();
                keywords.Add((name, ParseExpression()));
            }
            else
            {
                positional.Add(ParseExpression());
            }

            if (!Accept(","))
            {
                Expect(")");
                break;
            }
        }

        return (positional, keywords);
    }

    private static List<object?> Evaluate(List<Func<JinjaScope, object?>> expressions, JinjaScope scope) =>
        expressions.Select(e => e(scope)).ToList();

    private static Dictionary<string, object?> EvaluateKeywords(List<(string Name, Func<JinjaScope, object?> Value)> keywords, JinjaScope scope) =>
        keywords.ToDictionary(k => k.Name, k => k.Value(scope), StringComparer.Ordinal);

    private static object? Add(object? a, object? b, int line) => (a, b) switch
    {
        (string x, string y) => x + y,
        (List<object?> x, List<object?> y) => x.Concat(y).ToList(),
        _ when JinjaValues.IsNumber(a) && JinjaValues.IsNumber(b) => Arithmetic(a, b, '+', line),
        _ => throw new ChatTemplateException($"chat template line {line}: cannot add {JinjaValues.TypeName(a)} and {JinjaValues.TypeName(b)}"),
    };

    private static object? Arithmetic(object? a, object? b, char op, int line)
    {
        if (!JinjaValues.IsNumber(a) || !JinjaValues.IsNumber(b))
        {
            throw new ChatTemplateException($"chat template line {line}: cannot apply '{op}' to {JinjaValues.TypeName(a)} and {JinjaValues.TypeName(b)}");
        }

        if (a is double || b is double)
        {
            var (x, y) = (JinjaValues.ToDouble(a), JinjaValues.ToDouble(b));
            return op switch { '+' => x + y, '-' => x - y, '*' => x * y, 'f' => Math.Floor(x / y), _ => x - (y * Math.Floor(x / y)) };
        }

        var (m, n) = ((long)JinjaValues.ToDouble(a), (long)JinjaValues.ToDouble(b));
        if (op is 'f' or '%' && n == 0)
        {
            throw new ChatTemplateException($"chat template line {line}: division by zero");
        }

        return op switch
        {
            '+' => m + n,
            '-' => m - n,
            '*' => m * n,
            'f' => (long)Math.Floor((double)m / n),
            _ => ((m % n) + n) % n,
        };
    }

    // ---- tokens of the current tag ----

    private void StartTag(JinjaSegment segment)
    {
        tokens = JinjaExpressionLexer.Tokenize(segment.Content, segment.Line);
        tokenIndex = 0;
    }

    private JinjaToken Peek() => tokens[tokenIndex];

    private JinjaToken PeekAt(int offset) => tokens[Math.Min(tokenIndex + offset, tokens.Count - 1)];

    private JinjaToken Next()
    {
        var token = tokens[tokenIndex];
        if (token.Kind != JinjaTokenKind.End)
        {
            tokenIndex++;
        }

        return token;
    }

    private bool Accept(string op)
    {
        if (Peek().Kind == JinjaTokenKind.Operator && Peek().Text == op)
        {
            tokenIndex++;
            return true;
        }

        return false;
    }

    private bool AcceptKeyword(string keyword)
    {
        if (Peek().Kind == JinjaTokenKind.Name && Peek().Text == keyword)
        {
            tokenIndex++;
            return true;
        }

        return false;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw new ChatTemplateException($"chat template line {line}: expected '{op}' but found {Peek()}");
        }
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AcceptKeyword(keyword))
        {
            throw new ChatTemplateException($"chat template line {line}: expected '{keyword}' but found {Peek()}");
        }
    }

    private string ExpectName()
    {
        var token = Next();
        return token.Kind == JinjaTokenKind.Name
            ? token.Text
            : throw new ChatTemplateException($"chat template line {line}: expected a name but found {token}");
    }

    private void ExpectEnd()
    {
        if (Peek().Kind != JinjaTokenKind.End)
        {
            throw new ChatTemplateException($"chat template line {line}: unexpected {Peek()} (or a construct this renderer does not support)");
        }
    }

    private static bool StartsPrimary(JinjaToken token) =>
        token.Kind is JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float
        || (token.Kind == JinjaTokenKind.Name && token.Text is not ("and" or "or" or "not" or "in" or "is" or "if" or "else"))
        || (token.Kind == JinjaTokenKind.Operator && token.Text is "(" or "[" or "{");
}
