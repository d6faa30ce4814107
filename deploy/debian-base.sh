#!/bin/sh
# A Python base image for the Containerfile made from Debian packages only,
# for servers that reach a Debian mirror but no container registry:
#
#   sh deploy/debian-base.sh [TAG]            (as root; needs debootstrap and podman or docker)
#   podman build --build-arg PYTHON_IMAGE=TAG -t learn-dashboard -f Containerfile .
#
# It bootstraps a minimal Debian bookworm (Python 3.11, the version the
# project pins for), adds a virtual environment at /opt/venv that is first
# on PATH (so "python -m pip" in the Containerfile installs there, not into
# Debian's own Python) and imports it as TAG (default
# localhost/learn-python-base:bookworm). ENGINE and MIRROR may be set.
set -eu
TAG=${1:-localhost/learn-python-base:bookworm}
ENGINE=${ENGINE:-podman}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
    bookworm "$root" "$MIRROR" >&2
chroot "$root" python3 -m venv /opt/venv
ln -sf /opt/venv/bin/python "$root/usr/local/bin/python"
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
tar -C "$root" -c . | "$ENGINE" import \
    --change 'ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' - "$TAG" >&2
echo "$TAG"
