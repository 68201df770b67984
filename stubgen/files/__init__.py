"""Files on disk: atomic writes, tree diffs, and the stage cache of the ``all`` verb."""
