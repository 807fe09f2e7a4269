"""GFS retention computed independently of volback, for the integration tests.

Restic's `forget` rules as its documentation states them: each rule keeps the newest
backup of each of its last N periods (hours, days, ISO weeks, months, years, in UTC),
`last` the N newest, `within` every backup less than D older than the newest; a rule
with counts left when the list ends also keeps the oldest backup (restic >= 0.16); -1
keeps every period; a backup kept by any rule stays.

usage: gfs_reference.py RULES_JSON < records   (records: "name epoch_seconds" a line)
prints the names kept, one a line, sorted.
"""
import json
import sys
from datetime import datetime, timezone


def kept(records, rules, now):
    ordered = sorted(records, key=lambda r: (r[1], r[0]), reverse=True)
    past = [t for _, t in ordered if t <= now]
    newest = max(past) if past else None
    keys = {
        "last": lambda i, d: i,
        "hourly": lambda i, d: (d.year, d.month, d.day, d.hour),
        "daily": lambda i, d: (d.year, d.month, d.day),
        "weekly": lambda i, d: d.isocalendar()[:2],
        "monthly": lambda i, d: (d.year, d.month),
        "yearly": lambda i, d: d.year,
    }
    left = {rule: rules.get(rule, 0) for rule in keys}
    last_key = {rule: None for rule in keys}
    out = set()
    for i, (name, t) in enumerate(ordered):
        oldest = i == len(ordered) - 1
        within = rules.get("within_seconds", 0)
        if within > 0 and newest is not None and t > newest - within:
            out.add(name)
        d = datetime.fromtimestamp(t, timezone.utc)
        for rule, key_of in keys.items():
            if left[rule] == 0:
                continue
            key = key_of(i, d)
            if key != last_key[rule] or oldest:
                out.add(name)
                last_key[rule] = key
                if left[rule] > 0:
                    left[rule] -= 1
    return out


def main():
    rules = json.loads(sys.argv[1])
    records = []
    for line in sys.stdin:
        name, epoch = line.split()
        records.append((name, float(epoch)))
    names = kept(records, rules, rules.get("now", float("inf")))
    days_deadline = rules.get("days_deadline")
    if days_deadline is not None:
        names |= {n for n, t in records if t >= days_deadline}
    print("\n".join(sorted(names)))


main()
