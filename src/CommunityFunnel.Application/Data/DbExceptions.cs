using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommunityFunnel.Application.Data;

internal static class DbExceptions
{
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
