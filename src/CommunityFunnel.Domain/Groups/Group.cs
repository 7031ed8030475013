using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Domain.Groups;

/// <summary>A chat community the merchant runs: its platform, local time zone, trading currency and house rules.</summary>
public sealed class Group
{
    public const int NameMaxLength = 120;
    public const int AudienceNotesMaxLength = 2000;
    public const int RuleMaxLength = 200;
    public const int MaxRules = 30;
    public const int HostContactMaxLength = 200;
    public const int DefaultCapacity = 500;
    public const int PaymentInstructionsMaxLength = 1000;

    /// <summary>Telegram's largest groups hold 200,000, and so does the largest member import.</summary>
    public const int MaxCapacity = 200_000;

    private Group()
    {
    }

    public Group(GroupSettings settings, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        CreatedAt = createdAt;
        Apply(settings);
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public ChatPlatform Platform { get; private set; }
    public string TimeZoneId { get; private set; } = "";
    public string Currency { get; private set; } = "";

    /// <summary>
    /// Where the group lives (ISO 3166-1 alpha-2, "DE"): a phone written without a country code is read as a number of
    /// this country. Null only for a zone of no country (UTC), where phones must carry their country code.
    /// </summary>
    public string? Country { get; private set; }

    /// <summary>The language of the group's posts and member pages (one of <see cref="GroupLanguages.Supported"/>).</summary>
    public string Language { get; private set; } = "en";

    /// <summary>The unguessable code in the group's public join link, assigned by the database.</summary>
    public string JoinCode { get; private set; } = null!; // null until saved, so the database assigns it
    /// <summary>How many members the group admits; joins and imports past it are refused.</summary>
    public int Capacity { get; private set; }

    /// <summary>How newcomers reach the host (a chat id, a phone, an email), shown when the group is full; may be empty.</summary>
    public string HostContact { get; private set; } = "";
    public string AudienceNotes { get; private set; } = "";
    public List<string> Rules { get; private set; } = [];
    public bool IsArchived { get; private set; }

    /// <summary>How members pay the host ("Transfer to … and write the reference"), shown after a claim; may be empty.</summary>
    public string PaymentInstructions { get; private set; } = "";

    /// <summary>The host's collection QR code (a stored image), shown with the instructions; null when none was uploaded.</summary>
    public Guid? PaymentQrImageId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Applies already-validated settings (see <see cref="GroupSettings.Validate"/>).</summary>
    public void Apply(GroupSettings settings)
    {
        Name = settings.Name;
        Platform = settings.Platform;
        TimeZoneId = settings.TimeZoneId;
        Currency = settings.Currency;
        Language = settings.Language;
        Country = settings.Country;
        Capacity = settings.Capacity;
        HostContact = settings.HostContact;
        AudienceNotes = settings.AudienceNotes;
        Rules = [.. settings.Rules];
    }

    /// <summary>Sets already-validated instructions (see <see cref="TextRules.CheckOptionalText"/>).</summary>
    public void SetPaymentInstructions(string text) => PaymentInstructions = text;

    public void SetPaymentQr(Guid? imageId) => PaymentQrImageId = imageId;

    public void Archive() => IsArchived = true;

    public void Restore() => IsArchived = false;
}
