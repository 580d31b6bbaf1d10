"""Maps the top-level ``resources/`` folder into the wheel as ``qmsr_ready.resources``.

Every folder that ships files is named as a package (data-only folders as namespace packages),
so setuptools builds the wheel without warning that an importable folder is left out."""

from setuptools import find_namespace_packages, setup

_CODE = find_namespace_packages(include=["qmsr_ready", "qmsr_ready.*"],
                                exclude=["*.__pycache__"])
_DATA = [f"qmsr_ready.resources.{name}"
         for name in find_namespace_packages(where="resources", exclude=["*__pycache__"])]

setup(
    packages=[*_CODE, "qmsr_ready.resources", *_DATA],
    package_dir={"qmsr_ready.resources": "resources"},
)
