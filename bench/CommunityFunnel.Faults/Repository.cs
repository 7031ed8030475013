using System.Diagnostics;

namespace CommunityFunnel.Faults;

/// <summary>The checkout the suite runs from: its scripts, the nginx recipe, and the app's Release build.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string WebProject => Path.Combine(Root, "src", "CommunityFunnel.Web");

    public static string WebAssembly => Path.Combine(WebProject, "bin", "Release", "net10.0", "CommunityFunnel.Web.dll");

    public static string NginxRecipe => Path.Combine(Root, "deploy", "nginx", "communityfunnel.conf");

    public static async Task BuildWebAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await Processes.RunAsync("dotnet", ["build", WebProject, "-c", "Release", "--nologo", "-v", "q"], ct: ct);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("Building the app (Release) failed:\n" + output);
        }

        Console.WriteLine($"app built (Release) in {clock.Elapsed.TotalSeconds:0} s");
    }

    private static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CommunityFunnel.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run the fault suite from inside the repository.");
        }

        return root;
    }
}
