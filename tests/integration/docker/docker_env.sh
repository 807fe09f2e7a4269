# shellcheck shell=bash
# Where the docker suite's private daemon lives; sourced by services.sh and the tests.
VOLBACK_IT_DOCKER_DIR=${VOLBACK_IT_DOCKER_DIR:-/var/tmp/volback-it-docker}
VOLBACK_IT_DOCKER_SOCK=$VOLBACK_IT_DOCKER_DIR/docker.sock
VOLBACK_IT_DOCKER_TCP_PORT=${VOLBACK_IT_DOCKER_TCP_PORT:-23750}
VOLBACK_IT_SWARM_DIR=${VOLBACK_IT_SWARM_DIR:-/var/tmp/volback-it-swarm}
VOLBACK_IT_SWARM_SOCK=$VOLBACK_IT_SWARM_DIR/docker.sock
VOLBACK_IT_IMAGE=volback-it-busybox:1
# A third daemon that listens on TCP with TLS only (--tlsverify), for DOCKER_CERT_PATH and
# DOCKER_TLS_VERIFY; its test CA and certificates are in $VOLBACK_IT_DOCKER_TLS_DIR/certs
# (client files as Docker wants them: client/ca.pem, client/cert.pem, client/key.pem).
VOLBACK_IT_DOCKER_TLS_DIR=${VOLBACK_IT_DOCKER_TLS_DIR:-/var/tmp/volback-it-docker-tls}
VOLBACK_IT_DOCKER_TLS_SOCK=$VOLBACK_IT_DOCKER_TLS_DIR/docker.sock
VOLBACK_IT_DOCKER_TLS_PORT=${VOLBACK_IT_DOCKER_TLS_PORT:-23760}
