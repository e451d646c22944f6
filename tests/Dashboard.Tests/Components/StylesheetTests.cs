using FacilityHub.TestSupport;

namespace FacilityHub.Dashboard.Tests.Components;

/// <summary>
/// An unclosed brace silently swallows every rule after it (a browser reports nothing): several people
/// append sections to these files, so a merge that drops one brace must fail here, not on a wall screen.
/// </summary>
public sealed class StylesheetTests
{
    public static TheoryData<string> Stylesheets() =>
        new(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "Dashboard", "wwwroot"), "*.css")
            .Select(Path.GetFileName)
            .OfType<string>());

    [Theory]
    [MemberData(nameof(Stylesheets))]
    public void Braces_AreBalancedOutsideComments(string file)
    {
        var css = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Dashboard", "wwwroot", file));
        var depth = 0;
        var line = 1;
        for (var i = 0; i < css.Length; i++)
        {
            if (css[i] == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                line += css.AsSpan(i, (end < 0 ? css.Length : end) - i).Count('\n');
                i = end < 0 ? css.Length : end + 1;
                continue;
            }
            switch (css[i])
            {
                case '\n':
                    line++;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    Assert.True(depth >= 0, $"{file}:{line}: '}}' without an open block");
                    break;
            }
        }
        Assert.True(depth == 0, $"{file}: {depth} block(s) never closed");
    }
}
