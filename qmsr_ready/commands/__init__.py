"""Sub-commands of ``qmsr-ready``; each module has ``register(subparsers)``.

A registered sub-command sets ``func(args) -> int`` with ``set_defaults``. Commands raise
``QmsrError`` for user errors; ``qmsr_ready.cli`` turns those into one line and exit code 2.
"""
