#!/usr/bin/env bash
# The shared scenario ../backend_scenarios/scenario_large.sh against the suite's Dropbox
# emulator (concurrent upload session, bounded RSS), with access tokens that expire after
# half a second although the token endpoint says an hour (the upload takes a few seconds):
# the API's 401 expired_access_token must make volback refresh the token in the middle of
# the upload and carry on.
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=dropbox_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/dropbox_lib.sh"
dbx_control '{"token_ttl": 0.5, "token_ttl_reported": 3600}' >/dev/null
issued=$(dbx_stat tokens_issued)
# shellcheck source=../backend_scenarios/scenario_large.sh
. "$SCENARIOS/scenario_large.sh"
step "the token expired during the upload and was refreshed"
refused=$(dbx_stat expired_token_refused)
# The scenario's remote_keys and remote_fetch take a token each.
refreshed=$(($(dbx_stat tokens_issued) - issued - 2))
echo "expired tokens refused: $refused, tokens issued to volback: $refreshed"
((refused >= 1)) || fail "no request met an expired token"
((refreshed >= 2)) || fail "volback did not refresh its token"
echo "PASS"
