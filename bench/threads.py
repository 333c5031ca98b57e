"""Prints the CPU seconds a process has used, per group of threads (thread names without their numbers).
Usage: threads.py PID [LABEL [GROUPS]]"""
import collections
import os
import re
import sys

pid = sys.argv[1]
ticks = os.sysconf("SC_CLK_TCK")
groups = collections.Counter()
system = collections.Counter()
for task in os.listdir(f"/proc/{pid}/task"):
    try:
        with open(f"/proc/{pid}/task/{task}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/task/{task}/comm") as comm:
            name = re.sub(r"[0-9]+", "#", comm.read().strip())
    except FileNotFoundError:
        continue
    groups[name] += (int(fields[11]) + int(fields[12])) / ticks
    system[name] += int(fields[12]) / ticks
with open(f"/proc/{pid}/stat") as stat:
    fields = stat.read().rsplit(")", 1)[1].split()
# The process's own counters also hold the threads that have ended meanwhile.
total, total_system = (int(fields[11]) + int(fields[12])) / ticks, int(fields[12]) / ticks
print(f"   CPU of {sys.argv[2] if len(sys.argv) > 2 else pid}: {total:.1f} s ({total_system:.1f} s system), live threads:")
for name, seconds in groups.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 10):
    print(f"   {seconds:7.1f} s  {system[name]:6.1f} s sys  {name}")
