"""Evidence from run time: record the calls a program makes, read them back (``nbapi trace``)."""

from stubgen.trace.calls import Call, CallsFile, read_calls, traced_calls, write_calls
from stubgen.trace.run import trace_command

__all__ = ["Call", "CallsFile", "read_calls", "trace_command", "traced_calls", "write_calls"]
