namespace CommunityFunnel.Application.Sharing;

/// <summary>Where posters find their fonts besides the usual places (<see cref="PosterFonts.InstalledFiles"/>).</summary>
public sealed class PosterOptions
{
    public const string Section = "Posters";

    /// <summary>Font files (TTF, OTF, TTC) tried first, in order: a deployment that keeps its fonts elsewhere names them here.</summary>
    public List<string> FontFiles { get; set; } = [];
}
