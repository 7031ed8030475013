# Builds and runs CommunityFunnel; docker-compose.yml pairs it with PostgreSQL.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/CommunityFunnel.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Share posters draw Chinese names and offers with this font (PosterFonts finds it at Debian's and Ubuntu's path).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "CommunityFunnel.Web.dll"]
