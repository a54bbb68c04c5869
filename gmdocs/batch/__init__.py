"""Many applications at once: find the files, evaluate each in parallel processes, cross-check them
against each other, and write the province's 推荐汇总表 (see run.py, conflicts.py, summary.py)."""
