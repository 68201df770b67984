"""Evidence from run time: record the calls a program makes, read them back (``nbapi trace``).

``stubgen.trace.run`` runs a command traced; ``stubgen.trace.calls`` is the calls file. The
package imports neither, so that reading a calls file does not load the runner.
"""
