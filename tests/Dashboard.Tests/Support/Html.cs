using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FacilityHub.Dashboard.Tests.Support;

/// <summary>Renders a component to HTML with the framework's own static renderer, as prerendering would.</summary>
public static class Html
{
    public static async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters, Action<IServiceCollection>? services = null)
        where TComponent : IComponent
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        await using var provider = collection.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }

    /// <summary>How many times <paramref name="fragment"/> occurs in <paramref name="html"/>.</summary>
    public static int Count(string html, string fragment)
    {
        var count = 0;
        for (var i = html.IndexOf(fragment, StringComparison.Ordinal); i >= 0; i = html.IndexOf(fragment, i + fragment.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
