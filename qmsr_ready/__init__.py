"""QMSR Ready: offline mock-inspection workbench for FDA QMSR readiness."""

__version__ = "0.1.0"
