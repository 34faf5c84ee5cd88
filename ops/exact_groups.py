#!/usr/bin/env python3
"""Exact group formation for small instances: the whole problem (every hard rule) as
one mixed-integer program solved by HiGHS (scipy.optimize.milp). The reference the
tests and `ilc bench groups` hold GroupFormer to. Reads the `ilc groups` input format
(a file argument, or stdin) and prints {"status", "objective", "unplaced"}.

Lexicographic, like GroupFormer: place as many participants as possible, then the
least rank cost. Together requests are not part of the objective (tie-breaks only).
"""
import json
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

UNLISTED = 10
RANK_COSTS = [0, 1, 3]
UNPLACED_PENALTY = 1000


def solve(doc, time_limit=120.0):
    settings = {"min_size": 4, "max_size": 10, "max_per_district": 3, "min_roles": 2}
    settings.update({k: v for k, v in (doc.get("settings") or {}).items() if v is not None})
    themes = [t["id"] for t in doc["themes"]]
    people = doc["participants"]
    n, nt = len(people), len(themes)
    lo, hi = settings["min_size"], settings["max_size"]
    theme_index = {t: i for i, t in enumerate(themes)}
    person_index = {p["id"]: i for i, p in enumerate(people)}
    roles = sorted({p["role"] for p in people})
    districts = sorted({p["district"] for p in people})

    # x[i, s]: participant i in slot s; every slot belongs to one theme, so the cost is
    # linear in x and the relaxation tight. o[s]: slot s is used. r[s, q]: role q in s.
    slots_per_theme = min(settings.get("max_groups") or n, n // lo)
    slots = [(t, j) for t in range(nt) for j in range(slots_per_theme)]
    ns, nr = len(slots), len(roles)
    offset_o = n * ns
    offset_r = offset_o + ns
    offset_u = offset_r + ns * nr
    total = offset_u + n

    def x(i, s): return i * ns + s
    def o(s): return offset_o + s
    def r(s, q): return offset_r + s * nr + q
    def u(i): return offset_u + i

    locked_theme = {}
    locked_group = {}
    for lock in doc.get("locks") or []:
        i = person_index[lock["participant"]]
        if lock.get("theme") is not None:
            locked_theme[i] = theme_index[lock["theme"]]
        if lock.get("group") is not None:
            locked_group.setdefault(lock["group"], []).append(i)
    cost = np.zeros(total)
    upper = np.ones(total)
    for i, p in enumerate(people):
        choices = p.get("preferences") or ([p["detected_theme"]] if p.get("detected_theme") else [])
        row = [UNLISTED] * nt
        for rank, theme in enumerate(choices[:3]):
            row[theme_index[theme]] = RANK_COSTS[rank]
        for s, (t, _) in enumerate(slots):
            cost[x(i, s)] = row[t]
            if i in locked_theme and locked_theme[i] != t:
                upper[x(i, s)] = 0
        cost[u(i)] = UNPLACED_PENALTY

    rows, cols, vals, lows, highs = [], [], [], [], []
    count = 0

    def add(terms, low, high):
        nonlocal count
        for col, val in terms:
            rows.append(count)
            cols.append(col)
            vals.append(val)
        lows.append(low)
        highs.append(high)
        count += 1

    for i in range(n):
        add([(x(i, s), 1) for s in range(ns)] + [(u(i), 1)], 1, 1)
    if settings.get("max_groups"):
        add([(o(s), 1) for s in range(ns)], 0, settings["max_groups"])
    by_district = {}
    by_role = {}
    for i, p in enumerate(people):
        by_district.setdefault(p["district"], []).append(i)
        by_role.setdefault(p["role"], []).append(i)
    spread = settings.get("max_utc_spread_hours")
    for s, (t, j) in enumerate(slots):
        members = [(x(i, s), 1) for i in range(n)]
        add(members + [(o(s), -hi)], -np.inf, 0)
        add(members + [(o(s), -lo)], 0, np.inf)
        if j + 1 < slots_per_theme:
            add([(o(s), 1), (o(s + 1), -1)], 0, np.inf)
        for group in by_district.values():
            if len(group) > settings["max_per_district"]:
                add([(x(i, s), 1) for i in group], -np.inf, settings["max_per_district"])
        for q, role in enumerate(roles):
            add([(r(s, q), 1)] + [(x(i, s), -1) for i in by_role[role]], -np.inf, 0)
        add([(r(s, q), 1) for q in range(nr)] + [(o(s), -settings["min_roles"])], 0, np.inf)
        for a, b in doc.get("avoid") or []:
            add([(x(person_index[a], s), 1), (x(person_index[b], s), 1)], -np.inf, 1)
        if spread is not None:
            for a in range(n):
                for b in range(a + 1, n):
                    oa, ob = people[a].get("utc_offset"), people[b].get("utc_offset")
                    if oa is not None and ob is not None and abs(oa - ob) > spread:
                        add([(x(a, s), 1), (x(b, s), 1)], -np.inf, 1)
        for members_locked in locked_group.values():
            for other in members_locked[1:]:
                add([(x(members_locked[0], s), 1), (x(other, s), -1)], 0, 0)

    matrix = coo_matrix((vals, (rows, cols)), shape=(count, total))
    result = milp(
        cost, constraints=LinearConstraint(matrix, lows, highs), integrality=np.ones(total),
        bounds=Bounds(np.zeros(total), upper), options={"time_limit": time_limit})
    if result.x is None:
        return {"status": "failed", "message": result.message}
    unplaced = int(round(sum(result.x[u(i)] for i in range(n))))
    objective = int(round(result.fun)) - UNPLACED_PENALTY * unplaced
    return {"status": "optimal" if result.status == 0 else "stopped", "objective": objective, "unplaced": unplaced}


def main():
    source = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    print(json.dumps(solve(json.load(source))))


if __name__ == "__main__":
    main()
