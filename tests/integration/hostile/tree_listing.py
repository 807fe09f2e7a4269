#!/usr/bin/python3
"""Lists a directory tree with everything that must not change: one line per entry.

  tree_listing.py DIR [--exclude REL]...

For every entry under DIR, DIR itself included (as "."), sorted by path, never following
symlinks: type, permission bits with setuid/setgid/sticky, numeric owner, size, mtime in
nanoseconds, link count and hard-link group, symlink target, device numbers, extended
attributes (ACLs included: they are the system.posix_acl_* attributes) and the SHA-256 of a
regular file's content. A file with holes is fingerprinted by its data segments (SEEK_DATA),
so that a 10 TB sparse file left behind costs no more than its data. Mount points are
crossed (a tmpfs target is part of the tree). --exclude leaves out REL (relative to DIR) and
everything below it. Debian's /usr/bin/python3, standard library only.
"""

import hashlib
import os
import stat
import sys

CHUNK = 1 << 20


def content_hash(path, size):
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if size <= 64 * CHUNK:
            while True:
                b = os.read(fd, CHUNK)
                if not b:
                    break
                h.update(b)
            return "sha256=" + h.hexdigest()
        # Large: hash the data segments with their offsets, skip the holes.
        at = 0
        while at < size:
            try:
                start = os.lseek(fd, at, os.SEEK_DATA)
            except OSError:
                break
            end = os.lseek(fd, start, os.SEEK_HOLE)
            h.update(b"@%d:" % start)
            os.lseek(fd, start, os.SEEK_SET)
            left = end - start
            while left:
                b = os.read(fd, min(left, CHUNK))
                if not b:
                    break
                h.update(b)
                left -= len(b)
            at = end
        return "segments-sha256=" + h.hexdigest()
    finally:
        os.close(fd)


def xattrs(path):
    try:
        names = sorted(os.listxattr(path, follow_symlinks=False))
    except OSError:
        return ""
    parts = []
    for n in names:
        try:
            v = os.getxattr(path, n, follow_symlinks=False)
        except OSError as e:
            v = ("<%s>" % e.strerror).encode()
        parts.append("%s=%s" % (n, v.hex()))
    return ",".join(parts)


def describe(root, rel, first_of_inode):
    path = root if rel == "." else os.path.join(root, rel)
    st = os.lstat(path)
    mode = st.st_mode
    kind = ("dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else
            "symlink" if stat.S_ISLNK(mode) else "fifo" if stat.S_ISFIFO(mode) else
            "char" if stat.S_ISCHR(mode) else "block" if stat.S_ISBLK(mode) else
            "socket" if stat.S_ISSOCK(mode) else "other")
    fields = [rel, kind, "mode=%04o" % stat.S_IMODE(mode), "owner=%d:%d" % (st.st_uid, st.st_gid),
              "mtime=%d" % st.st_mtime_ns]
    if kind == "file":
        fields.append("size=%d" % st.st_size)
        fields.append("nlink=%d" % st.st_nlink)
        if st.st_nlink > 1:
            key = (st.st_dev, st.st_ino)
            fields.append("linkgroup=" + first_of_inode.setdefault(key, rel))
        fields.append(content_hash(path, st.st_size))
    elif kind == "symlink":
        fields.append("target=" + os.readlink(path))
    elif kind in ("char", "block"):
        fields.append("rdev=%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)))
    if kind != "symlink":
        x = xattrs(path)
        if x:
            fields.append("xattrs=" + x)
    return "|".join(fields)


def walk(root, excludes):
    rels = ["."]
    stack = [""]
    while stack:
        d = stack.pop()
        full = os.path.join(root, d) if d else root
        try:
            names = os.listdir(full)
        except OSError as e:
            rels.append((d or ".") + "/<unreadable: %s>" % e.strerror)
            continue
        for n in names:
            rel = os.path.join(d, n) if d else n
            if rel in excludes:
                continue
            rels.append(rel)
            if stat.S_ISDIR(os.lstat(os.path.join(root, rel)).st_mode):
                stack.append(rel)
    return sorted(rels, key=lambda r: r.encode("utf-8", "surrogateescape"))


def main(argv):
    args = argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    root = args[0]
    excludes = set()
    i = 1
    while i < len(args):
        if args[i] == "--exclude" and i + 1 < len(args):
            excludes.add(os.path.normpath(args[i + 1]))
            i += 2
        else:
            print("unexpected argument: " + args[i], file=sys.stderr)
            return 2
    if not os.path.isdir(root):
        print("<missing: %s>" % root)
        return 0
    first_of_inode = {}
    out = sys.stdout
    for rel in walk(root, excludes):
        if "<unreadable" in rel:
            out.write(rel + "\n")
            continue
        try:
            out.write(describe(root, rel, first_of_inode) + "\n")
        except OSError as e:
            out.write("%s|<error: %s>\n" % (rel, e.strerror))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
