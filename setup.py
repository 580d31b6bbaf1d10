"""Maps the top-level ``resources/`` folder into the wheel as ``qmsr_ready.resources``."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["qmsr_ready", "qmsr_ready.*"]), "qmsr_ready.resources"],
    package_dir={"qmsr_ready.resources": "resources"},
)
