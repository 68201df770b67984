"""One module per stage, each declaring its :class:`~stubgen.pipeline.job.Stage`."""
