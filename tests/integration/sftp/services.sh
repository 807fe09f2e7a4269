#!/usr/bin/env bash
# Starts, idempotently, the sftp suite's SSH server: Debian's OpenSSH sshd on
# 127.0.0.1:${VOLBACK_SSH_PORT:-18022} with a configuration of its own (the system's sshd and
# /etc/ssh are not touched) and an ed25519 host key, for the user volback-sftp (password
# sftp-secret; authorized keys: an ed25519 key, the same key encrypted with the passphrase
# key-secret, an ECDSA key, and RSA keys in OpenSSH and PEM format). Its files (host key,
# client keys, known_hosts, log) live in ${VOLBACK_SSH_DIR:-/var/tmp/volback-it-sshd}. When it
# already answers, nothing happens.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The labelled-container scenarios use the docker suite's private dockerd.
(cd "$here/../docker" && bash ./services.sh)
port=${VOLBACK_SSH_PORT:-18022}
dir=${VOLBACK_SSH_DIR:-/var/tmp/volback-it-sshd}
user=volback-sftp
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -c 4 <&3" 2>/dev/null | grep -q SSH-; }
if answers && [[ -f $dir/client_ed25519 && -f $dir/client_rsa_pem ]]; then
  echo "sshd already answers on 127.0.0.1:$port"
  exit 0
fi
for tool in /usr/sbin/sshd ssh-keygen sftp chpasswd; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
if [[ -f $dir/sshd.pid.fg ]]; then
  kill "$(cat "$dir/sshd.pid.fg")" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$(cat "$dir/sshd.pid.fg")" 2>/dev/null || break; sleep 0.1; done
fi
mkdir -p "$dir"
id "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
echo "$user:sftp-secret" | chpasswd
home=$(getent passwd "$user" | cut -d: -f6)
[[ -f $dir/ssh_host_ed25519_key ]] || ssh-keygen -q -t ed25519 -N '' -C volback-it-host -f "$dir/ssh_host_ed25519_key"
[[ -f $dir/client_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C volback-it -f "$dir/client_ed25519"
[[ -f $dir/client_ed25519_encrypted ]] ||
  ssh-keygen -q -t ed25519 -N key-secret -C volback-it-encrypted -f "$dir/client_ed25519_encrypted"
[[ -f $dir/client_ecdsa ]] || ssh-keygen -q -t ecdsa -b 256 -N '' -C volback-it-ecdsa -f "$dir/client_ecdsa"
[[ -f $dir/client_rsa ]] || ssh-keygen -q -t rsa -b 3072 -N '' -C volback-it-rsa -f "$dir/client_rsa"
[[ -f $dir/client_rsa_pem ]] || ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -C volback-it-rsa-pem -f "$dir/client_rsa_pem"
install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
cat "$dir"/client_*.pub >"$home/.ssh/authorized_keys"
chown "$user:" "$home/.ssh/authorized_keys" && chmod 600 "$home/.ssh/authorized_keys"
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $user
UsePAM no
MaxStartups 100
MaxSessions 100
Subsystem sftp internal-sftp
LogLevel VERBOSE
CONF
mkdir -p /run/sshd && chmod 755 /run/sshd
/usr/sbin/sshd -t -f "$dir/sshd_config"
setsid nohup /usr/sbin/sshd -D -e -f "$dir/sshd_config" >>"$dir/sshd.log" 2>&1 </dev/null &
echo $! >"$dir/sshd.pid.fg"
for _ in $(seq 100); do
  answers && { echo "sshd ready on 127.0.0.1:$port (user $user)"; exit 0; }
  sleep 0.1
done
echo "sshd did not come up:" >&2
tail -n 20 "$dir/sshd.log" >&2
exit 1
