#!/bin/sh
# Builds the container image of deploy/container/Containerfile, tagged
# sarkit/rsadc:VERSION and sarkit/rsadc:latest (or TAG), from the static
# executables of deploy/build-static.sh:
#   deploy/build-image.sh [TAG]
# with buildah, else podman, else docker. FROM scratch: nothing is pulled.
set -eu
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' cli/Cargo.toml | head -n 1)
tag=${1:-sarkit/rsadc:$version}
deploy/build-static.sh target/static
for tool in buildah podman docker; do
  if command -v "$tool" >/dev/null; then
    "$tool" build -f deploy/container/Containerfile -t "$tag" -t sarkit/rsadc:latest target/static
    exit 0
  fi
done
echo "build-image.sh: no buildah, podman or docker here" >&2
exit 1
