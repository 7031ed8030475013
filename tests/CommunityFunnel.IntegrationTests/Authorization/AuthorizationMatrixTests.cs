using System.Net;
using System.Net.Http.Json;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.IntegrationTests.Authorization;

/// <summary>
/// Every page and endpoint the running app routes to, asked by every persona: the answer each gets follows from the
/// endpoint's audience in <see cref="AccessRules"/>, refused requests change nothing, and nobody outside a group reads
/// its data in any answer.
/// </summary>
public sealed class AuthorizationMatrixTests(PostgresFixture database) : DatabaseTest(database)
{
    private enum Outcome
    {
        Answers,
        Allowed,
        AllowedWithoutGroupData,
        Hidden,
        NoMemberData,
        SignInRequired,
        Forbidden,
    }

    [Fact]
    public void EveryEndpoint_HasAnAccessRule_AndEveryRule_AnEndpoint()
    {
        var routed = RoutedEndpoints();

        var unruled = routed.Except(AccessRules.All.Keys).Order().ToList();
        var stale = AccessRules.All.Keys.Except(routed).Order().ToList();

        Assert.True(unruled.Count == 0, "Endpoints without an entry in AccessRules (say who each is for):\n" + string.Join("\n", unruled));
        Assert.True(stale.Count == 0, "AccessRules entries for endpoints the app no longer has:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task EveryEndpoint_AnswersEachPersona_AsItsAudienceSays()
    {
        var world = await MatrixWorld.CreateAsync(Database);
        var fingerprint = await DatabaseFingerprint.ForAsync(Database.ConnectionString);
        var failures = new List<string>();
        var routed = RoutedEndpoints();

        foreach (var (endpoint, rule) in AccessRules.All.Where(r => routed.Contains(r.Key)))
        {
            var asks = new List<(Persona Persona, Outcome Expected, Call Call)>();
            foreach (var persona in Enum.GetValues<Persona>())
            {
                asks.Add((persona, Expected(rule.Audience, persona), await rule.Call(world))); // fresh targets are made here, before the fingerprint
            }

            // Those turned away, and the public, go first and must leave every table as it was.
            var before = await fingerprint.TakeAsync();
            foreach (var ask in asks.Where(a => !IsAllowed(a.Expected)))
            {
                failures.AddRange(await AskAsync(world, endpoint, rule, ask.Persona, ask.Expected, ask.Call));
            }

            var changed = DatabaseFingerprint.Changed(before, await fingerprint.TakeAsync()).ToList();
            if (changed.Count > 0)
            {
                failures.Add($"{endpoint}: a refused or public request changed {string.Join(", ", changed)}");
            }

            foreach (var ask in asks.Where(a => IsAllowed(a.Expected)))
            {
                failures.AddRange(await AskAsync(world, endpoint, rule, ask.Persona, ask.Expected, ask.Call));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} answers broke the matrix:\n" + string.Join("\n", failures));
    }

    private static Outcome Expected(Audience audience, Persona persona) => (audience, persona) switch
    {
        (Audience.Everyone, _) => Outcome.Answers,
        (Audience.TheMember, Persona.Member) => Outcome.Allowed,
        (Audience.TheMember, _) => Outcome.NoMemberData,
        (_, Persona.Anonymous or Persona.Member or Persona.DisabledUser) => Outcome.SignInRequired,
        (Audience.Admins, Persona.Admin) => Outcome.Allowed,
        (Audience.Admins, _) => Outcome.Forbidden,
        (Audience.Staff, Persona.OperatorOfAnotherGroup) => Outcome.AllowedWithoutGroupData,
        (Audience.TheGroup, Persona.OperatorOfAnotherGroup) => Outcome.Hidden,
        _ => Outcome.Allowed,
    };

    /// <summary>Let through to do what they asked; the rest, public endpoints included (asked with forged or no data), change nothing.</summary>
    private static bool IsAllowed(Outcome outcome) => outcome is Outcome.Allowed or Outcome.AllowedWithoutGroupData;

    private static async Task<IEnumerable<string>> AskAsync(MatrixWorld world, string endpoint, AccessRule rule, Persona persona, Outcome expected, Call call)
    {
        var api = call.Path.StartsWith("/api/v1/", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.Body is not null)
        {
            request.Content = call.Body as HttpContent ?? JsonContent.Create(call.Body, call.Body.GetType()); // uploads bring their own form
        }

        using var response = await world.ClientFor(persona, api).SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var problem = Verdict(expected, rule, api, call, response, body.Contains(world.Secret, StringComparison.Ordinal));
        if (problem is null)
        {
            return [];
        }

        var location = response.Headers.Location is { } to ? $" -> {to}" : "";
        var excerpt = body.Length > 300 ? body[..300] + "…" : body;
        return [$"{endpoint} as {persona} ({call.Method} {call.Path}): {problem}; got {(int)response.StatusCode}{location} {excerpt}"];
    }

    /// <summary>What is wrong with the answer, or null when it is what the persona should get.</summary>
    private static string? Verdict(Outcome expected, AccessRule rule, bool api, Call call, HttpResponseMessage response, bool showsGroupData)
    {
        var status = (int)response.StatusCode;
        var redirectedTo = response.Headers.Location is { } location ? new Uri(response.RequestMessage!.RequestUri!, location).AbsolutePath : null;
        var allowedStatus = rule.AllowedStatus is { } fixedStatus ? status == (int)fixedStatus : status is >= 200 and < 300;
        var sentToSignIn = api ? status == 401 : status == 302 && redirectedTo == "/login";
        var sentAway = api ? status == 403 : status == 302 && redirectedTo == "/access-denied";
        return expected switch
        {
            Outcome.Answers when rule.AllowedStatus is not null && !allowedStatus => $"expected {(int)rule.AllowedStatus} ({rule.Because})",
            Outcome.Answers when rule.AllowedStatus is null && (status is 401 or 403 or >= 500 || redirectedTo is "/login" or "/access-denied") => "a public endpoint must answer anyone",
            Outcome.Allowed when !allowedStatus => $"expected {(rule.AllowedStatus is { } s ? ((int)s).ToString() : "a 2xx")} ({rule.Because ?? "allowed"})",
            Outcome.Allowed when rule.ShowsGroupData && !showsGroupData => "the answer should show the group's data to those allowed",
            Outcome.AllowedWithoutGroupData when !allowedStatus => "expected the answer for any staff member",
            Outcome.Hidden when !(status is 403 or 404 || (status == 200 && call.Method == HttpMethod.Get)) => "another group's operator must get 403 or 404",
            Outcome.NoMemberData when status is 401 or 403 or >= 500 => "a member page must answer without a session too",
            Outcome.SignInRequired when !sentToSignIn => api ? "expected 401" : "expected a redirect to /login",
            Outcome.Forbidden when !sentAway => api ? "expected 403" : "expected a redirect to /access-denied",
            not (Outcome.Answers or Outcome.Allowed) when showsGroupData => "the answer shows the group's data to someone outside it",
            _ => null,
        };
    }

    private HashSet<string> RoutedEndpoints() =>
        Database.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null) // the fingerprinted files under wwwroot and _content: public by design
            .Select(KeyOf)
            .ToHashSet();

    private static string KeyOf(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            return $"PAGE {endpoint.RoutePattern.RawText}";
        }

        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        return $"{(methods is null ? "*" : string.Join(",", methods))} {endpoint.RoutePattern.RawText}";
    }
}
