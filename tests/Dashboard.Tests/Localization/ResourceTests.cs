using System.Text.RegularExpressions;
using System.Xml.Linq;
using FacilityHub.TestSupport;

namespace FacilityHub.Dashboard.Tests.Localization;

/// <summary>
/// Every string a person reads is in resources, in both languages: these read the dashboard's sources,
/// so a key used but never written, a string translated into one language only, or Japanese typed
/// straight into a page fails the build's tests rather than showing up as a raw key on a wall screen.
/// </summary>
public sealed partial class ResourceTests
{
    private static readonly string Source = Path.Combine(RepoPaths.Root, "src", "Dashboard");

    public static TheoryData<string> ResourceBases() =>
        new(Directory.EnumerateFiles(Source, "*.resx", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains(".en.", StringComparison.Ordinal) && !IsBuildOutput(f))
            .Select(f => Path.GetRelativePath(Source, f)[..^".resx".Length]));

    public static TheoryData<string> PageSources() =>
        new(Directory.EnumerateFiles(Source, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !IsBuildOutput(f))
            .Select(f => Path.GetRelativePath(Source, f)));

    [Theory]
    [MemberData(nameof(ResourceBases))]
    public void Japanese_and_English_have_the_same_keys_and_no_empty_value(string resourceBase)
    {
        var ja = Read(Path.Combine(Source, resourceBase + ".resx"));
        var en = Read(Path.Combine(Source, resourceBase + ".en.resx"));

        Assert.Empty(ja.Keys.Except(en.Keys));
        Assert.Empty(en.Keys.Except(ja.Keys));
        Assert.Empty(ja.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key));
        Assert.Empty(en.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(PageSources))]
    public void Every_key_a_page_uses_exists(string file)
    {
        var text = File.ReadAllText(Path.Combine(Source, file));
        // A helper class may take the same localizer under the same name in several methods; one name for two types still fails.
        var localizers = LocalizerInjection().Matches(text).Select(m => (Name: m.Groups["name"].Value, Type: m.Groups["type"].Value))
            .Distinct().ToDictionary(l => l.Name, l => l.Type);
        var missing = new List<string>();
        foreach (var (name, type) in localizers)
        {
            var keys = Read(FindResource(type)).Keys.ToHashSet(StringComparer.Ordinal);
            foreach (Match use in Regex.Matches(text, @"\b" + Regex.Escape(name) + @"\[\s*""(?<key>[^""]+)""")) 
            {
                if (!keys.Contains(use.Groups["key"].Value))
                {
                    missing.Add($"{type}: {use.Groups["key"].Value}");
                }
            }
        }
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(PageSources))]
    public void No_Japanese_outside_resources_and_comments(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Source, file))
            .Select((line, i) => (Line: StripComments(line), Number: i + 1))
            .Where(l => Japanese().IsMatch(l.Line))
            .Select(l => $"{file}:{l.Number}: {l.Line.Trim()}")
            .ToList();
        Assert.Empty(lines);
    }

    private static string StripComments(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("///", StringComparison.Ordinal)
            || trimmed.StartsWith("*", StringComparison.Ordinal) || trimmed.StartsWith("@*", StringComparison.Ordinal))
        {
            return "";
        }
        var comment = line.IndexOf(" // ", StringComparison.Ordinal);
        return comment >= 0 ? line[..comment] : line;
    }

    private static string FindResource(string type)
    {
        var found = Directory.EnumerateFiles(Source, type + ".resx", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)).ToList();
        Assert.True(found.Count == 1, $"expected exactly one {type}.resx under src/Dashboard, found {found.Count}");
        return found[0];
    }

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex(@"IStringLocalizer<(?<type>\w+)>\s+(?<name>\w+)")]
    private static partial Regex LocalizerInjection();

    // Hiragana, katakana, CJK ideographs and full-width forms.
    [GeneratedRegex(@"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")]
    private static partial Regex Japanese();
}
