"""Lays the slowest acks (lantern-sim --slowest-acks) beside the journal's timeline
(lantern-server --journal-timeline) and says what lay under them: the longest commit in
each slow ack's window, the queue the writer left, a checkpoint, a share of saved cases or
seqs. Each figure is printed beside the same figure for windows of the same lengths put at
random moments of the run, so what is over-represented under the slow acks stands out.

    python3 ack_outliers.py SLOWEST TIMELINE
"""
import bisect
import random
import sys


def read_rows(path):
    rows = []
    with open(path) as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                rows.append(line.split())
    return rows


def percentile(values, p):
    if not values:
        return 0
    values = sorted(values)
    return values[int(p * (len(values) - 1))]


class Timeline:
    def __init__(self, rows):
        self.commits = sorted(
            (int(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7])) for r in rows if r[0] == "c")
        self.checkpoints = sorted((int(r[1]), int(r[2]), r[0]) for r in rows if r[0] in "whs")
        self.starts = [c[0] for c in self.commits]

    def commits_in(self, begin, end):
        """The commits that ran during [begin, end] (µs)."""
        i = bisect.bisect_left(self.starts, begin - 10_000_000)
        found = []
        while i < len(self.commits) and self.commits[i][0] <= end:
            c = self.commits[i]
            if c[0] + c[1] >= begin:
                found.append(c)
            i += 1
        return found

    def checkpoint_in(self, begin, end, who):
        return any(k == who and b <= end and b + t >= begin for b, t, k in self.checkpoints)


def describe(timeline, windows):
    """Figures for a set of windows (begin_us, length_us)."""
    longest, queue, cases, seqs, helper, writer, synced, gaps = [], [], 0, 0, 0, 0, 0, []
    for begin, length in windows:
        end = begin + length
        inside = timeline.commits_in(begin, end)
        longest.append(max((c[1] for c in inside), default=0) / 1000)
        queue.append(max((c[6] for c in inside), default=0))
        cases += any(c[4] > 0 for c in inside)
        seqs += any(c[5] > 0 for c in inside)
        helper += timeline.checkpoint_in(begin, end, "h")
        writer += timeline.checkpoint_in(begin, end, "w")
        synced += timeline.checkpoint_in(begin, end, "s")
        # The longest stretch of the window with no commit running: the writer waiting
        # for work, or for a core.
        at, gap = begin, 0
        for c in inside:
            gap = max(gap, c[0] - at)
            at = max(at, c[0] + c[1])
        gaps.append(max(gap, end - at) / 1000)
    n = max(1, len(windows))
    return {
        "longest commit in the window, median ms": percentile(longest, 0.5),
        "longest commit in the window, p90 ms": percentile(longest, 0.9),
        "longest stretch with no commit running, median ms": percentile(gaps, 0.5),
        "queue left by the writer, median requests": percentile(queue, 0.5),
        "with a commit that saved cases": f"{100 * cases / n:.0f}%",
        "with a commit that wrote ledger seqs": f"{100 * seqs / n:.0f}%",
        "overlapping the helper's checkpoint": f"{100 * helper / n:.0f}%",
        "overlapping the writer's checkpoint": f"{100 * writer / n:.0f}%",
        "overlapping the helper's sync of the database file": f"{100 * synced / n:.0f}%",
    }


def main():
    slow = [(int(r[0]), float(r[1])) for r in read_rows(sys.argv[1])]
    timeline = Timeline(read_rows(sys.argv[2]))
    if not slow or not timeline.commits:
        print("nothing to compare: no slow acks or no commits")
        return 1
    slow.sort(key=lambda s: -s[1])
    run_begin, run_end = timeline.starts[0], timeline.starts[-1]
    rng = random.Random(1)
    groups = [("slowest 0.1%", slow[: max(1, len(slow) // 10)]), ("slowest 1%", slow)]
    took = [c[1] / 1000 for c in timeline.commits]
    with_cases = [c[1] / 1000 for c in timeline.commits if c[4] > 0]
    with_seqs = [c[1] / 1000 for c in timeline.commits if c[5] > 0 and c[4] == 0]
    plain = [c[1] / 1000 for c in timeline.commits if c[5] == 0 and c[4] == 0]
    ck = {who: [t / 1000 for _, t, k in timeline.checkpoints if k == who] for who in "hws"}
    print(f"{len(timeline.commits)} commits: took p50 {percentile(took, 0.5):.2f} ms, p99 {percentile(took, 0.99):.2f} ms, "
          f"max {max(took):.2f} ms")
    print(f"  saving cases ({len(with_cases)}): p50 {percentile(with_cases, 0.5):.2f} ms, p99 {percentile(with_cases, 0.99):.2f} ms;"
          f" ledger seqs only ({len(with_seqs)}): p50 {percentile(with_seqs, 0.5):.2f} ms, p99 {percentile(with_seqs, 0.99):.2f} ms;"
          f" neither ({len(plain)}): p50 {percentile(plain, 0.5):.2f} ms, p99 {percentile(plain, 0.99):.2f} ms")
    for who, name in (("h", "the helper's checkpoint passes"), ("w", "the writer's checkpoint passes"),
                      ("s", "the helper's syncs of the database file")):
        print(f"  {name} ({len(ck[who])}): p50 {percentile(ck[who], 0.5):.2f} ms, max {max(ck[who], default=0):.2f} ms")
    print()
    print("| | " + " | ".join(g[0] + (" (random windows)" if r else "") for g in groups for r in (0, 1)) + " |")
    print("|---|" + "---|" * 4)
    columns = []
    for _, acks in groups:
        windows = [(s, int(ms * 1000)) for s, ms in acks]
        shuffled = [(rng.randint(run_begin, max(run_begin, run_end - length)), length) for _, length in windows]
        columns += [describe(timeline, windows), describe(timeline, shuffled)]
    print(f"| acks | {len(groups[0][1])} | | {len(groups[1][1])} | |")
    print(f"| ack latency, median ms | {percentile([a[1] for a in groups[0][1]], 0.5):.1f} | | "
          f"{percentile([a[1] for a in groups[1][1]], 0.5):.1f} | |")
    for key in columns[0]:
        values = [c[key] for c in columns]
        print(f"| {key} | " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in values) + " |")
    print()
    print("The five slowest acks, and the commits under each (start ms into the window, took ms, alarms, cases, seqs, queue left):")
    for sent, ms in slow[:5]:
        inside = timeline.commits_in(sent, sent + int(ms * 1000))
        longest = sorted(inside, key=lambda c: -c[1])[:4]
        marks = [("helper checkpoint" if timeline.checkpoint_in(sent, sent + int(ms * 1000), "h") else ""),
                 ("writer checkpoint" if timeline.checkpoint_in(sent, sent + int(ms * 1000), "w") else "")]
        print(f"- {ms:.1f} ms: {len(inside)} commits; longest: " +
              ", ".join(f"(+{(c[0] - sent) / 1000:.1f}, {c[1] / 1000:.1f}, {c[3]}, {c[4]}, {c[5]}, {c[6]})" for c in longest) +
              ("; " + ", ".join(m for m in marks if m) if any(marks) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
