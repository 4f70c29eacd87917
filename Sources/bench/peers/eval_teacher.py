"""Peer for `bench eval` (teacher-score parsing): a plain Python loop that splits and converts every line of a
teacher-score file (pos<TAB>neg<TAB>qid<TAB>pos_pid<TAB>neg_pid). Prints JSON {"seconds": s, "lines": n}.
  python3 eval_teacher.py FILE"""
import json, sys, time

t0 = time.perf_counter()
n = 0
s = 0.0
with open(sys.argv[1]) as f:
    for line in f:
        a, b, q, p, m = line.split("\t")
        s += float(a) - float(b); int(q); int(p); int(m)
        n += 1
print(json.dumps({"seconds": time.perf_counter() - t0, "lines": n}))
