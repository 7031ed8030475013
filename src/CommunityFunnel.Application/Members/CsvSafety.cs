namespace CommunityFunnel.Application.Members;

/// <summary>Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula: defuse it.</summary>
internal static class CsvSafety
{
    public static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static string Defuse(string? value) =>
        string.IsNullOrEmpty(value) || !IsFormulaStart(value[0]) ? value ?? "" : "'" + value;
}
