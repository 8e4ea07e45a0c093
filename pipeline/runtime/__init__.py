"""Running the recipe over many documents: the scheduler (run.py), the executors
(executor.py) and the cache (cache.py)."""
