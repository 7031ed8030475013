using System.Text.Encodings.Web;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Web.Hardening;
using CommunityFunnel.Web.Portal;
using Microsoft.AspNetCore.Components;

namespace CommunityFunnel.Web.Components.Portal;

/// <summary>
/// A member signs in on any device: their phone, then the code sent to it, then back to the page they came from. A
/// Telegram group's page also offers Telegram Login; an account not yet linked comes back here to confirm a phone once.
/// </summary>
public sealed partial class SignInPage
{
    private static readonly string[] Fields = ["phone", "code"];
    private PageGroup? _group;
    private string _returnUrl = ReturnUrls.Home;
    private string? _codeSentTo;
    private bool _linkingTelegram;
    private bool _showTelegramWidget;
    private Failure? _errors;

    [Inject] private MemberSignIn SignIn { get; set; } = default!;
    [Inject] private MemberPortal Portal { get; set; } = default!;
    [Inject] private TelegramLogin Telegram { get; set; } = default!;
    [Inject] private PublicUrls PublicUrls { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }

    /// <summary>A verified Telegram account waiting to be linked (signed by <see cref="TelegramLogin.ProtectPending"/>).</summary>
    [SupplyParameterFromQuery(Name = "telegram")] private string? PendingTelegram { get; set; }

    [SupplyParameterFromQuery(Name = "telegramError")] private string? TelegramProblem { get; set; }

    [SupplyParameterFromForm(FormName = "send-code")] private SendForm? SendInput { get; set; }

    [SupplyParameterFromForm(FormName = "verify-code")] private VerifyForm? VerifyInput { get; set; }

    private MarkupString TelegramWidget
    {
        get
        {
            var authUrl = PublicUrls.Absolute($"/me/sign-in/telegram?returnUrl={Uri.EscapeDataString(_returnUrl)}", HttpContext.Request);
            var encoder = HtmlEncoder.Default;
            // Telegram's own script draws the button; a component cannot render a <script> element itself.
            return new MarkupString($"""<script async src="https://telegram.org/js/telegram-widget.js?22" data-telegram-login="{encoder.Encode(Telegram.BotUsername)}" data-size="large" data-auth-url="{encoder.Encode(authUrl)}" data-request-access="write"></script>""");
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _returnUrl = ReturnUrls.MemberPage(ReturnUrl);
        SendInput ??= new() { Telegram = PendingTelegram };
        VerifyInput ??= new();
        _codeSentTo = VerifyInput.Phone; // a posted code form is rendered again to be handled
        _group = await Portal.GroupOfPageAsync(_returnUrl, HttpContext.RequestAborted);

        var pending = SendInput.Telegram;
        _linkingTelegram = Telegram.UnprotectPending(pending) is not null;
        if (!string.IsNullOrEmpty(pending) && !_linkingTelegram)
        {
            TelegramProblem = "telegram_stale";
            SendInput.Telegram = null;
        }

        _showTelegramWidget = _group?.Platform == ChatPlatform.Telegram && Telegram.IsEnabled && !_linkingTelegram;
        if (_showTelegramWidget)
        {
            SecurityHeaders.AllowTelegramLoginWidget(HttpContext);
        }
    }

    private async Task SendAsync()
    {
        var intent = new SignInIntent(TelegramUserId: Telegram.UnprotectPending(SendInput!.Telegram));
        var sent = await SignIn.SendCodeAsync(SendInput.Phone, _group?.Country, intent, RateLimitRegistration.ClientAddress(HttpContext), HttpContext.RequestAborted);
        _errors = sent.Failure;
        _codeSentTo = sent.Value?.Phone ?? (SendInput.Resend ? SignInCodes.Normalize(SendInput.Phone, _group?.Country) : null);
    }

    private async Task VerifyAsync()
    {
        var verified = await SignIn.VerifyAsync(VerifyInput!.Phone, _group?.Country, VerifyInput.Code, RateLimitRegistration.ClientAddress(HttpContext), HttpContext.RequestAborted);
        var start = verified.Value is { } scope ? await Portal.StartSessionAsync(scope, HttpContext.RequestAborted) : null;
        if (verified.Value is null || start is null)
        {
            _errors = verified.Failure;
            return;
        }

        await MemberSession.SignInAsync(HttpContext, verified.Value, start);
        Navigation.NavigateTo(_returnUrl);
    }

    private string TelegramMessage(string problem) => problem switch
    {
        "telegram_stale" => L["This Telegram sign-in is more than a day old: start it again."],
        _ => L["The Telegram sign-in could not be verified: start it again."],
    };

    private sealed class SendForm
    {
        public string? Phone { get; set; }
        public string? Telegram { get; set; }
        public bool Resend { get; set; }
    }

    private sealed class VerifyForm
    {
        public string? Phone { get; set; }
        public string? Code { get; set; }
    }
}
