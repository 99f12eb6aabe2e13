# syntax=docker/dockerfile:1
# The `mms` command-line tool. Used by docker-compose.yml as the indexer and as the query service (`mms serve`); any
# other mms command works too:
#   docker compose run --rm indexer search --collection photos --text "a dog on a beach"

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The SDK image is Debian 12: TorchSharp's native library needs the libstdc++ compatibility step (build/torchsharp-compat).
RUN apt-get update && apt-get install -y --no-install-recommends patchelf gcc libc6-dev python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/ src/
COPY indexer/ indexer/
COPY api/ api/
RUN dotnet publish indexer/MultiModalSearch.Cli -c Release -o /app --nologo

# The ASP.NET Core runtime: `mms serve` hosts the query service in the same tool.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The bundled offline model, used when no model is given and the Hub cannot be reached.
COPY models/ /app/models/
# Never run as root; the photo library is mounted read-only anyway.
USER app
ENTRYPOINT ["dotnet", "/app/mms.dll"]
