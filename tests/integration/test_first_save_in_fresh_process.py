"""A process whose first ORM work is a response save (the CLI, a script, the crash child) saves.

The lean save builds its Response the way a load does, without the constructor; a load configures
the mappers first, so a fresh process that saves before any query must not depend on one.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.template_content import TemplateSnapshot
from tests.conftest import fnd_template_content

_SAVE = textwrap.dedent(
    """
    import sys
    from qmsr_ready.core import services
    from qmsr_ready.core.db import open_workspace
    with open_workspace(sys.argv[1]) as ws:
        for n in (1, 2):
            with ws.begin() as s:
                r = services.record_response(s, "W", inspection_code="MI-1",
                                             question_id="MO-01-Q01", notes=f"fresh {n}")
                print(r.notes, r.revision)
    """
)


def test_the_first_orm_work_of_a_process_can_be_a_save(tmp_path: Path) -> None:
    path = tmp_path / "w.qmsr"
    with open_workspace(path, create=True) as ws, ws.begin() as s:
        site = services.create_site(s, "W", name="Site").code
        services.start_inspection(s, "W", site_code=site, code="MI-1",
                                  template=TemplateSnapshot.from_content(fnd_template_content()),
                                  inspection_type="baseline_surveillance")
    with open_workspace(path) as ws, ws.begin() as s:  # in progress: the save loads no Inspection
        services.record_response(s, "W", inspection_code="MI-1", question_id="MO-01-Q02",
                                 notes="first")
    done = subprocess.run([sys.executable, "-c", _SAVE, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["fresh 1 1", "fresh 2 2"]
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        notes = s.connection().exec_driver_sql(
            "SELECT notes FROM responses WHERE question_id = 'MO-01-Q01'").scalar_one()
        assert notes == "fresh 2"
