"""PySide6 desktop interface. Everything here calls ``qmsr_ready.core`` services."""
