#!/usr/bin/env bash
# Starts, idempotently, the webdav suite's WebDAV server: Apache 2.4 with mod_dav_fs on
# 127.0.0.1:${VOLBACK_WEBDAV_PORT:-18090}, in a configuration of its own (the system's
# /etc/apache2 sites are not used), with two locations: /basic/ (basic authentication) and
# /digest/ (digest authentication), user volback, password dav-secret. Its files live in
# ${VOLBACK_WEBDAV_DIR:-/var/tmp/volback-it-webdav}. When it already answers, nothing happens.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The labelled-container scenarios use the docker suite's private dockerd.
(cd "$here/../docker" && bash ./services.sh)
port=${VOLBACK_WEBDAV_PORT:-18090}
dir=${VOLBACK_WEBDAV_DIR:-/var/tmp/volback-it-webdav}
if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/basic/" 2>/dev/null | grep -q 401; then
  echo "WebDAV already answers on 127.0.0.1:$port"
  exit 0
fi
for tool in apache2 htpasswd htdigest curl; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
if [[ -f $dir/run/httpd.pid ]]; then
  kill "$(cat "$dir/run/httpd.pid")" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$(cat "$dir/run/httpd.pid")" 2>/dev/null || break; sleep 0.1; done
fi
mkdir -p "$dir"/{root/basic,root/digest,logs,lock,run}
htpasswd -bc "$dir/htpasswd" volback dav-secret 2>/dev/null
# htdigest has no batch mode: write its line (user:realm:md5(user:realm:password)) directly.
printf 'volback:volback:%s\n' "$(printf 'volback:volback:dav-secret' | md5sum | cut -d' ' -f1)" >"$dir/htdigest"
cat >"$dir/httpd.conf" <<CONF
ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $dir/run/httpd.pid
ErrorLog $dir/logs/error.log
LogLevel warn
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authn_file_module /usr/lib/apache2/modules/mod_authn_file.so
LoadModule auth_basic_module /usr/lib/apache2/modules/mod_auth_basic.so
LoadModule auth_digest_module /usr/lib/apache2/modules/mod_auth_digest.so
LoadModule dav_module /usr/lib/apache2/modules/mod_dav.so
LoadModule dav_fs_module /usr/lib/apache2/modules/mod_dav_fs.so
LogFormat "%h %u \"%r\" %>s %b" brief
CustomLog $dir/logs/access.log brief
StartServers 1
ServerLimit 1
MaxRequestWorkers 25
ThreadsPerChild 25
LimitRequestBody 0
DAVLockDB $dir/lock/DAVLock
DocumentRoot $dir/root
<Directory $dir/root/basic>
  Dav On
  AuthType Basic
  AuthName "volback"
  AuthUserFile $dir/htpasswd
  Require valid-user
</Directory>
<Directory $dir/root/digest>
  Dav On
  AuthType Digest
  AuthName "volback"
  AuthDigestProvider file
  AuthUserFile $dir/htdigest
  Require valid-user
</Directory>
CONF
chown -R www-data: "$dir/root" "$dir/lock"
apache2 -t -f "$dir/httpd.conf"
setsid nohup apache2 -f "$dir/httpd.conf" -DFOREGROUND >"$dir/logs/stdout.log" 2>&1 </dev/null &
echo $! >"$dir/run/fg.pid"
for _ in $(seq 100); do
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/basic/" 2>/dev/null | grep -q 401 && {
    echo "WebDAV (Apache mod_dav) ready on 127.0.0.1:$port"
    exit 0
  }
  sleep 0.1
done
echo "Apache did not come up:" >&2
tail -n 20 "$dir/logs/error.log" "$dir/logs/stdout.log" >&2
exit 1
