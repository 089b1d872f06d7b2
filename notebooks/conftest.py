"""Run the notebooks without writing anything under the user's home directory."""

from __future__ import annotations

import os
import tempfile

_scratch = tempfile.mkdtemp(prefix="territory-notebooks-")
for variable in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "MPLCONFIGDIR"):
    os.environ.setdefault(variable, os.path.join(_scratch, variable.lower()))
