namespace CommunityFunnel.Application.Media;

/// <summary>A picture ready to store: re-encoded (no metadata), upright, at most <see cref="ImageProcessor.MaxSide"/> pixels a side.</summary>
public sealed record ProcessedImage(string ContentType, int Width, int Height, byte[] Content);
