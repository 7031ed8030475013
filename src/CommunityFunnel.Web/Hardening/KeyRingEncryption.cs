using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// Data Protection keys (they sign sign-in and member cookies and encrypt channel secrets) are stored in PostgreSQL and
/// shared by every instance. With <c>DataProtection:CertificatePath</c> set they are encrypted there with that
/// certificate's public key, so a database dump or backup alone cannot forge a session. Every instance needs the same
/// certificate: a PKCS#12 file (<c>CertificatePassword</c>) or a PEM certificate with its key (<c>CertificateKeyPath</c>).
/// </summary>
internal static class KeyRingEncryption
{
    public const string Section = "DataProtection";

    public static void AddKeyRingEncryption(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(Section);
        var path = settings["CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        builder.Services.AddDataProtection().ProtectKeysWithCertificate(Load(path, settings["CertificatePassword"], settings["CertificateKeyPath"]));
    }

    private static X509Certificate2 Load(string path, string? password, string? keyPath)
    {
        foreach (var file in new[] { path, keyPath }.OfType<string>().Where(f => !File.Exists(f)))
        {
            throw new InvalidOperationException($"{Section}: the certificate file '{file}' does not exist.");
        }

        var certificate = string.IsNullOrWhiteSpace(keyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet)
            : X509Certificate2.CreateFromPemFile(path, keyPath);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{Section}: '{path}' has no private key; instances need it to read the keys back.");
    }
}
