"""Runs `age ARGS...` on a pseudo-terminal and answers its passphrase prompts with $AGE_TTY_PASSPHRASE.

age reads passphrases from the terminal only; this is the crypto suite's stand-in for a user.
Usage: /usr/bin/python3 age_tty.py ARGS...  (use -o FILE: the terminal carries prompts only).
Exits with age's status.
"""
import os
import pty
import sys

passphrase = os.environ["AGE_TTY_PASSPHRASE"].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execvp("age", ["age"] + sys.argv[1:])
seen = b""
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    # Each prompt ends in ": " ("Enter passphrase...:", "Confirm passphrase:").
    while b"passphrase" in seen and b":" in seen.split(b"passphrase", 1)[1]:
        os.write(fd, passphrase)
        seen = seen.split(b"passphrase", 1)[1].split(b":", 1)[1]
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
