"""Verify: stubs on disk compared with the module."""
