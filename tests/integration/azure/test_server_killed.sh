#!/usr/bin/env bash
# The shared scenario ../backend_scenarios/scenario_server_killed.sh against the suite's Azurite.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=azure_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/azure_lib.sh"
# shellcheck source=../backend_scenarios/scenario_server_killed.sh
. "$SCENARIOS/scenario_server_killed.sh"
