#!/usr/bin/env bash
# Base images for packaging/Dockerfile on a machine that cannot pull from mcr.microsoft.com but
# reaches a Debian mirror (issue 14). Makes, with debootstrap and `docker import`:
#   coffer-local/runtime-deps:10.0   Debian bookworm (minbase) with what .NET's runtime-deps image
#                                    holds: ca-certificates, libc, libgcc, libstdc++, libssl3, libicu72,
#                                    tzdata, zlib
#   coffer-local/sdk:10.0            the same with this machine's .NET SDK (/usr/share/dotnet) in it,
#                                    trusting what this machine trusts (its CA bundle: a TLS-inspecting
#                                    proxy's CA on the way to NuGet, say); only the build stage uses it,
#                                    the image's own trust store is Debian's
# then builds the image with them:
#   docker build -f packaging/Dockerfile --network host \
#       --build-arg SDK_IMAGE=coffer-local/sdk:10.0 --build-arg RUNTIME_IMAGE=coffer-local/runtime-deps:10.0 -t coffer .
# Needs root, debootstrap and a running Docker engine. Usage: tools/local-base-images.sh [mirror]
set -euo pipefail
cd "$(dirname "$0")/.."

mirror=${1:-http://deb.debian.org/debian}
dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase \
  --include=ca-certificates,libssl3,libicu72,tzdata,zlib1g,libstdc++6,libgcc-s1 \
  bookworm "$work/root" "$mirror"
# What debootstrap leaves that an image need not carry.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
tar -C "$work/root" --numeric-owner -c . | docker import - coffer-local/runtime-deps:10.0

# The SDK stage: the same root with the host's SDK; restores reach NuGet through --network host.
docker build -t coffer-local/sdk:10.0 -f - "$dotnet_root" <<'EOF'
FROM coffer-local/runtime-deps:10.0
COPY . /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_ROOT=/usr/share/dotnet
EOF
mkdir "$work/ca"
cp /etc/ssl/certs/ca-certificates.crt "$work/ca/"
docker build -t coffer-local/sdk:10.0 -f - "$work/ca" <<'EOF'
FROM coffer-local/sdk:10.0
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
EOF

docker build -f packaging/Dockerfile --network host \
  --build-arg SDK_IMAGE=coffer-local/sdk:10.0 --build-arg RUNTIME_IMAGE=coffer-local/runtime-deps:10.0 \
  -t coffer .
