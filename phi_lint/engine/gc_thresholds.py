"""Garbage-collector settings for the length of a scan, in the main process and in each worker."""

from __future__ import annotations


class few_collections:
    """A scan allocates many small objects that live to its end (edges, outcomes, inferences),
    which makes the cyclic garbage collector run often for nothing: unpickling the workers'
    results took five times longer with the default thresholds. Collect less often during the
    scan (memory stays bounded: collections still run) and restore the settings afterwards."""

    THRESHOLDS = (50_000, 20, 20)

    def __enter__(self):
        import gc

        self._saved = gc.get_threshold()
        gc.set_threshold(*self.THRESHOLDS)
        return self

    def __exit__(self, *exc):
        import gc

        gc.set_threshold(*self._saved)
        return False
