using CommunityFunnel.Application.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommunityFunnel.Web.Api;

/// <summary>Turns a use case's <see cref="Failure"/> into RFC 9457 problem details with a stable <c>code</c>.</summary>
internal static class ProblemResults
{
    public static ProblemHttpResult From(Failure failure)
    {
        var (status, title) = failure.Kind switch
        {
            FailureKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            FailureKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden"),
            FailureKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            FailureKind.Unprocessable => (StatusCodes.Status422UnprocessableEntity, "Not possible now"),
            _ => (StatusCodes.Status400BadRequest, "Invalid request"),
        };
        var extensions = new Dictionary<string, object?> { ["code"] = failure.Code };
        var fieldErrors = failure.Violations.Where(v => !string.IsNullOrEmpty(v.Field))
            .GroupBy(v => v.Field!)
            .ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray());
        if (fieldErrors.Count > 0)
        {
            extensions["errors"] = fieldErrors;
        }

        extensions["violations"] = failure.Violations.Select(v => new { v.Code, v.Field, v.Message }).ToArray();
        return TypedResults.Problem(failure.Message, statusCode: status, title: title, type: $"https://communityfunnel.dev/problems/{failure.Code}", extensions: extensions);
    }

    public static ProblemHttpResult Invalid(string code, string message, string field) =>
        From(Failure.Invalid(code, message, field));

    /// <summary>Problems the framework writes (a body that is not JSON, an unknown route) also get a code.</summary>
    public static void AddDefaultCode(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Extensions.ContainsKey("code"))
        {
            return;
        }

        context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status413PayloadTooLarge => "payload_too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            _ => "error",
        };
        if (context.Exception is BadHttpRequestException bad && context.ProblemDetails.Status == StatusCodes.Status400BadRequest)
        {
            context.ProblemDetails.Detail ??= bad.Message;
        }
    }
}
