using System.Collections.Concurrent;
using Berth.Testing;
using Microsoft.Playwright;

namespace Berth.Server.Tests.Dashboard;

/// <summary>
/// One browser context on the dashboard, recording what a person would not see: console errors, uncaught page errors and
/// every URL the page requests (a token must never be in one).
/// </summary>
internal sealed class DashboardSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _urls = new();

    private DashboardSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
        page.Request += (_, request) => _urls.Enqueue(request.Url);
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions so far.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Every URL the page requested so far.</summary>
    public IReadOnlyList<string> Urls => [.. _urls];

    public static Task<DashboardSession> OpenAsync(DashboardFixture fixture, int width = 1280, int height = 900) =>
        OpenAsync(fixture.Browser, fixture.Server.Server.Address, width, height);

    public static async Task<DashboardSession> OpenAsync(IBrowser browser, Uri server, int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var milliseconds = (float)TestTimeouts.Slow.TotalMilliseconds;
        context.SetDefaultTimeout(milliseconds);
        Assertions.SetDefaultExpectTimeout(milliseconds);
        return new DashboardSession(context, await context.NewPageAsync());
    }

    /// <summary>Opens <c>/ui</c> at <paramref name="hash"/> and signs in with <paramref name="token"/>.</summary>
    public async Task SignInAsync(string token, string hash = "#/")
    {
        await Page.GotoAsync("/ui" + hash);
        await Page.Locator("#token").FillAsync(token);
        await Page.Locator("#sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(Page.Locator("#nav")).ToBeVisibleAsync();
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.Screenshots, name + ".png"), FullPage = true });

    /// <summary>No console error, no uncaught error, and no URL that holds <paramref name="token"/>.</summary>
    public void ShouldBeClean(string token)
    {
        Errors.ShouldBeEmpty("the dashboard must log no errors");
        Urls.Where(u => u.Contains(token, StringComparison.Ordinal)).ShouldBeEmpty("the token is never put in a URL");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
