#!/usr/bin/env bash
# The shared scenario ../backend_scenarios/scenario_list_verify_restore.sh against the suite's emulator.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=gdrive_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gdrive_lib.sh"
# shellcheck source=../backend_scenarios/scenario_list_verify_restore.sh
. "$SCENARIOS/scenario_list_verify_restore.sh"
