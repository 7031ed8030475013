namespace CommunityFunnel.Application.Data.Configurations;

/// <summary>
/// Short unguessable codes for public links (join, referral), made by the database so rows written by COPY get one
/// too: 64 random bits of a v4 UUID (62 of them random), URL-safe base64, 11 characters.
/// </summary>
internal static class RandomCodes
{
    public const string Sql = "rtrim(translate(encode(substring(uuid_send(gen_random_uuid()) from 9 for 8), 'base64'), '+/', '-_'), '=')";
}
