# shellcheck shell=bash
# Where the docker suite's private daemon lives; sourced by services.sh and the tests.
VOLBACK_IT_DOCKER_DIR=${VOLBACK_IT_DOCKER_DIR:-/var/tmp/volback-it-docker}
VOLBACK_IT_DOCKER_SOCK=$VOLBACK_IT_DOCKER_DIR/docker.sock
VOLBACK_IT_DOCKER_TCP_PORT=${VOLBACK_IT_DOCKER_TCP_PORT:-23750}
VOLBACK_IT_SWARM_DIR=${VOLBACK_IT_SWARM_DIR:-/var/tmp/volback-it-swarm}
VOLBACK_IT_SWARM_SOCK=$VOLBACK_IT_SWARM_DIR/docker.sock
VOLBACK_IT_IMAGE=volback-it-busybox:1
