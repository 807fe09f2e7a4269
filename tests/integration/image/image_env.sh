# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are used by the files that source this one
# Where the image suite keeps its cache and what it calls things; sourced by services.sh and
# the tests. The suite builds volback's image on the docker suite's private dockerd.
VOLBACK_IT_IMAGE_CACHE=${VOLBACK_IT_IMAGE_CACHE:-/var/tmp/volback-it-image}
# The Debian base the Dockerfile starts from (its BASE_IMAGE default). No registry is
# reachable in CI, so services.sh imports a debootstrap'd rootfs under this tag.
VOLBACK_IT_BASE_IMAGE=debian:bookworm-slim
VOLBACK_IT_DEBIAN_MIRROR=${VOLBACK_IT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The image under test.
VOLBACK_IT_VOLBACK_IMAGE=volback-it:latest
