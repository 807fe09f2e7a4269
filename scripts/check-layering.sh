#!/usr/bin/env bash
# Enforces the module dependency rule of ARCHITECTURE.md on #include lines, and bans
# direct use of the clock, the environment and stdout outside the places allowed to.
# Exits 1 and names every offending line.
set -euo pipefail
cd "$(dirname "$0")/.."

# module -> modules it may include (besides itself)
declare -A allowed=(
  [util]=""
  [io]="util"
  [fs]="util io"
  [http]="util"
  [notify]="util http"
  [docker]="util http"
  [archive]="util io fs"
  [compress]="util io"
  [crypto]="util io"
  [storage]="util io"
  [storage/local]="util io fs storage"
  [storage/s3]="util io http storage"
  [storage/webdav]="util io fs http storage"
  [storage/azure]="util io fs http storage"
  [storage/sftp]="util io fs storage"
  [storage/dropbox]="util io http storage"
  [storage/gdrive]="util io http storage"
  [storage/registry]="util storage storage/local storage/s3 storage/webdav storage/sftp storage/azure storage/dropbox storage/gdrive"
  [restic]="util io fs crypto storage"
  [retention]="util"
  [schedule]="util"
  [app/config]="util io fs archive compress crypto docker retention schedule storage storage/local storage/registry notify"
  [app/run]="util fs storage restic app/config"
  [app/monitor]="util fs notify app/config app/run"
  [app/containers]="util fs docker app/config app/run"
  [app/backup]="util io fs archive compress storage retention restic app/config app/run"
  [app/restore]="util io fs archive compress crypto storage restic app/config app/run"
  [app/daemon]="util schedule app/config app/run"
  [app/commands]="util io fs archive compress crypto storage restic retention schedule docker notify app/config app/run app/containers app/backup app/restore app/daemon app/monitor"
  [cli]="util app/config app/run app/commands"
  [testing]="util io fs storage"
)

status=0
while IFS= read -r -d '' file; do
  rel=${file#src/volback/}
  module=${rel%/*}
  [[ -n ${allowed[$module]+x} ]] || { echo "unknown module for $file"; status=1; continue; }
  while IFS=: read -r line include; do
    dep=${include#*<volback/}
    dep=${dep%/*}
    [[ $dep == "$module" ]] && continue
    [[ $dep == testing && ( $file == *_test.cpp || $file == */test_support.hpp ) ]] && continue  # test-only code
    # Tests may run against the real local backend.
    [[ $dep == storage/local && $file == *_test.cpp ]] && continue
    # restore's tests make their archives the way a backup does.
    [[ $module == app/restore && $dep == app/backup && ( $file == *_test.cpp || $file == */test_support.hpp ) ]] && continue
    ok=0
    for a in ${allowed[$module]}; do [[ $dep == "$a" ]] && ok=1; done
    if [[ $ok == 0 ]]; then
      echo "$file:$line: module '$module' may not include '$dep' ($include)"
      status=1
    fi
  done < <(grep -n -o '#include <volback/[^>]*>' "$file" || true)
done < <(find src/volback -name '*.[ch]pp' -print0)

# Injected dependencies: no direct clock, environment or stdout outside their homes.
banned=$(grep -rnE 'system_clock::now\(|getenv\(|std::cout' src/volback \
  --include='*.cpp' --include='*.hpp' \
  | grep -vE '^src/volback/(util/clock\.cpp|cli/)' \
  | grep -vE '_test\.cpp:' \
  | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
if [[ -n $banned ]]; then
  echo "direct use of the clock, environment or stdout (inject Clock/Settings/Logger instead):"
  echo "$banned"
  status=1
fi
[[ $status == 0 ]] && echo "layering: ok"
exit $status
