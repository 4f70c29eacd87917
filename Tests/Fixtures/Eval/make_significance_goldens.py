#!/usr/bin/env python3
"""Makes Tests/Fixtures/Eval/ttest.json: scipy.stats.ttest_rel (two-sided) on seeded paired samples, to validate
Eval.Significance.pairedTTest.  Run from the package root: python3 Tests/Fixtures/Eval/make_significance_goldens.py"""
import json
import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(5)
cases = []
for n, shift, scale in [(2, 0.1, 0.1), (3, 0.0, 1.0), (5, 0.05, 0.2), (10, 0.3, 1.0), (43, 0.02, 0.15),
                        (54, 0.05, 0.2), (100, 0.0, 0.3), (300, 0.01, 0.25), (1000, 0.005, 0.3), (43, 0.5, 0.1)]:
    a = rng.uniform(0, 1, n)
    b = np.clip(a - shift + rng.normal(0, scale, n), 0, 1)
    r = stats.ttest_rel(a, b)
    cases.append({"a": a.tolist(), "b": b.tolist(), "t": float(r.statistic), "p": float(r.pvalue)})
json.dump({"scipy": scipy.__version__, "cases": cases}, open("Tests/Fixtures/Eval/ttest.json", "w"))
print(len(cases), "cases")
