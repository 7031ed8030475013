namespace CommunityFunnel.Web;

/// <summary>Marker for the UI's string table: Resources/SharedResource.*.resx. English text is the key.</summary>
public sealed class SharedResource;
