"""CPU seconds of the processes a benchmark involves, from /proc, over a window of wall-clock time.

  cpu.py sample FILE LABEL=PID ...   appends "unix_time label cpu_seconds" lines every 0.2 s until killed;
                                     a label starting with "postgres" counts the postmaster PID, its live children
                                     and the children it has reaped (backends that ended meanwhile)
  cpu.py between FILE T0 T1 N        prints "label X ms, ..." for each label: the CPU used between T0 and T1
                                     (unix seconds, interpolated between the samples around them) divided by N,
                                     the pipelines that ran in that window; for a JVM (service, peer) also what
                                     its threads used apart from the JIT compiler's ("X ms, Y ms without JIT"),
                                     since a run of a few thousand pipelines is still partly compiling and the
                                     compiler's share says nothing of the code that runs once compiled
"""
import os
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def own(pid):
    fields = stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICKS


def compiling(pid):
    """CPU seconds of the JVM's JIT compiler threads ("C1 CompilerThread0", "C2 CompilerThread1", ...)."""
    total = 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                text = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        if name.startswith(("C1 CompilerThre", "C2 CompilerThre")):
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def postmaster(pid):
    fields = stat(pid)
    total = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / TICKS
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(stat(entry)[1]) == int(pid):
                    total += own(entry)
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return total


def sample(path, targets):
    with open(path, "a") as out:
        while True:
            now = time.time()
            for label, pid in targets:
                try:
                    seconds = postmaster(pid) if label.startswith("postgres") else own(pid)
                    jit = None if label.startswith(("postgres", "stub")) else compiling(pid)
                except FileNotFoundError:
                    continue
                out.write(f"{now:.3f} {label} {seconds:.3f}\n")
                if jit is not None:
                    out.write(f"{now:.3f} {label}~jit {jit:.3f}\n")
            out.flush()
            time.sleep(0.2)


def at(points, t):
    before = [p for p in points if p[0] <= t]
    after = [p for p in points if p[0] >= t]
    if not before:
        return after[0][1]
    if not after:
        return before[-1][1]
    (t0, c0), (t1, c1) = before[-1], after[0]
    return c0 if t1 == t0 else c0 + (c1 - c0) * (t - t0) / (t1 - t0)


def between(path, t0, t1, count):
    series = {}
    with open(path) as f:
        for line in f:
            t, label, seconds = line.split()
            series.setdefault(label, []).append((float(t), float(seconds)))
    def per_pipeline(points):
        return (at(points, t1) - at(points, t0)) * 1000 / count

    parts = []
    for label, points in series.items():
        if label.endswith("~jit"):
            continue
        part = f"{label} {per_pipeline(points):.1f} ms"
        if label + "~jit" in series:
            # A compiler thread that ends within the window takes its time along; the figure is then an upper bound.
            part += f" ({per_pipeline(points) - per_pipeline(series[label + '~jit']):.1f} ms without JIT)"
        parts.append(part)
    print(", ".join(parts))


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        sample(sys.argv[2], [arg.split("=", 1) for arg in sys.argv[3:]])
    else:
        between(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
