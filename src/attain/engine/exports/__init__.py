"""Exports: files for the systems that act on what Attain computed (payroll first).

Framework-free like the rest of the engine: a function takes rows and writes text to a stream; the
application chooses the rows, the file and when to write it.
"""
