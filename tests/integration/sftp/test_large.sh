#!/usr/bin/env bash
# The shared scenario ../backend_scenarios/scenario_large.sh against the suite's sshd.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=sftp_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/sftp_lib.sh"
# shellcheck source=../backend_scenarios/scenario_large.sh
. "$SCENARIOS/scenario_large.sh"
