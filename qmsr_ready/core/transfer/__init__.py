"""Moving a whole workspace between a ``.qmsr`` file and a server database, and checking it.

``copy.copy_workspace`` copies losslessly (keys, audit chain, evidence) and keeps the copy only
when its chain verifies and ``compare.compare_workspaces`` finds no difference from the source.
"""
