using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Web.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Admin;

public sealed partial class UsersPage
{
    private IReadOnlyList<UserRow> _users = [];
    private IReadOnlyList<GroupRow> _groups = [];
    private string? _setupLink;
    private string? _setupFor;

    [Inject] private UserAdminService Users { get; set; } = default!;
    [Inject] private GroupService Groups { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private Hardening.PublicUrls PublicUrls { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _groups = await Groups.ListAsync(await CurrentActor.GetAsync(), search: null, includeArchived: true, CancellationToken.None);
        await LoadAsync();
    }

    private async Task LoadAsync() => _users = (await Users.ListAsync(await CurrentActor.GetAsync(), CancellationToken.None)).Value ?? [];

    private string GroupName(Guid id) => _groups.FirstOrDefault(g => g.Id == id)?.Name ?? id.ToString();

    private async Task AssignAsync(UserRow user, IEnumerable<Guid> groupIds)
    {
        var result = await Users.SetGroupsAsync(await CurrentActor.GetAsync(), user.Id, groupIds.ToList(), CancellationToken.None);
        await ReportAsync(result, L["Groups of {0} saved.", user.Email]);
    }

    private async Task UnlockAsync(UserRow user)
    {
        await Users.UnlockAsync(await CurrentActor.GetAsync(), user.Id, CancellationToken.None);
        await LoadAsync();
    }

    private async Task DisableAsync(UserRow user) =>
        await ReportAsync(await Users.DisableAsync(await CurrentActor.GetAsync(), user.Id, CancellationToken.None), L["{0} is disabled and signed out.", user.Email]);

    private async Task EnableAsync(UserRow user) =>
        await ReportAsync(await Users.EnableAsync(await CurrentActor.GetAsync(), user.Id, CancellationToken.None), L["{0} can sign in again.", user.Email]);

    private async Task ChangeRoleAsync(UserRow user, string role) =>
        await ReportAsync(await Users.ChangeRoleAsync(await CurrentActor.GetAsync(), user.Id, role, CancellationToken.None), L["{0} is now {1}.", user.Email, L[role]]);

    private async Task ResetPasswordAsync(UserRow user)
    {
        var result = await Users.IssuePasswordSetupAsync(await CurrentActor.GetAsync(), user.Id, CancellationToken.None);
        if (result.Value is { } setup)
        {
            ShowSetupLink(user.Email, setup);
        }

        await ReportAsync(result, L["Setup link for {0} created.", user.Email]);
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<UserDialog>(L["New user"], new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: CreatedUser created })
        {
            if (created.Setup is { } setup)
            {
                ShowSetupLink(created.Email, setup);
            }

            await LoadAsync();
        }
    }

    private void ShowSetupLink(string email, PasswordSetup setup)
    {
        _setupFor = email;
        _setupLink = PublicUrls.Absolute(AccountLinks.SetupPath(setup), Navigation.BaseUri);
    }

    private async Task ReportAsync<T>(Result<T> result, LocalizedString success)
    {
        Snackbar.Add(result.Failure?.Message ?? success, result.Succeeded ? Severity.Success : Severity.Error);
        await LoadAsync();
    }
}
