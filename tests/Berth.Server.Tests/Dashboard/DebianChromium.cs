using Microsoft.Playwright;

namespace Berth.Server.Tests.Dashboard;

/// <summary>Debian's Chromium (<c>/usr/bin/chromium</c>), headless, driven by Playwright; never a browser Playwright downloads.</summary>
internal sealed class DebianChromium : IAsyncDisposable
{
    public const string Path = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private DebianChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<DebianChromium> LaunchAsync()
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"The dashboard's browser tests need {Path}: apt-get install -y chromium (scripts/test.sh does it).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,

            // root in CI has no user namespace sandbox to give Chromium; the pages it opens are the test server's own
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return new DebianChromium(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
