#!/usr/bin/env bash
# The shared 300 MiB scenario (../backend_scenarios/scenario_large.sh: streamed, bounded
# memory, the stored file is the archive) made harder by the emulator: its access tokens stop
# working after 0.5 s, less than the upload takes on any machine, although they say 3599
# (volback must fetch a new one when Drive answers 401, mid-upload), one chunk is answered
# 503 with Retry-After, and the connection drops in the
# middle of a chunk past 100 MiB (volback must ask the session's status and resume from the
# offset the emulator reports, which is not where the chunk began).
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=gdrive_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gdrive_lib.sh"

gd_account "\"token_lifetime\": 0.5, \"drop_chunk_after\": $((100 * 1024 * 1024 + 300 * 1024)),
  \"fail\": [{\"op\": \"chunk\", \"status\": 503, \"retry_after\": 1}]"
# shellcheck source=../backend_scenarios/scenario_large.sh
. "$SCENARIOS/scenario_large.sh"

step "the emulator saw the refresh, the 503, the drop and the resume"
events=$(gd_events)
echo "$events" | sort | uniq -c
grep -q '^expired token refused$' <<<"$events" || fail "no token expired during the upload"
(($(grep -c '^token$' <<<"$events") >= 2)) || fail "no second token was fetched"
grep -q '^failed chunk with 503$' <<<"$events" || fail "the 503 was not injected"
grep -q '^dropped at ' <<<"$events" || fail "the connection was not dropped"
dropped_at=$(sed -n 's/^dropped at //p' <<<"$events")
((dropped_at % (8 << 20) != 0)) || fail "the drop fell on a chunk boundary ($dropped_at): nothing to resume mid-chunk"
assert_eq "" "$(remote_leftovers)" "upload sessions left"
echo "PASS"
