using CommunityFunnel.Application;
using CommunityFunnel.Web;
using CommunityFunnel.Web.Hardening;
using CommunityFunnel.Web.Jobs;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCommunityFunnelLogging();

    var connectionString = builder.Configuration.GetConnectionString("CommunityFunnel");
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        throw new InvalidOperationException(
            "Connection string 'CommunityFunnel' is missing: set ConnectionStrings__CommunityFunnel, or start with scripts/dev.sh.");
    }

    builder.Services.AddCommunityFunnelApplication(connectionString);
    builder.AddCommunityFunnelWeb();
    builder.AddCommunityFunnelJobs(connectionString);

    var app = builder.Build();
    await app.InitializeDatabaseAsync();
    app.UseCommunityFunnelEdge();
    app.UseSerilogRequestLogging();
    app.UseCommunityFunnelWeb();
    app.MapCommunityFunnelJobs();
    await app.RunAsync();
}
catch (Exception ex) when (ex is not HostAbortedException) // dotnet-ef aborts the host on purpose
{
    Log.Fatal(ex, "CommunityFunnel terminated unexpectedly");
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}
