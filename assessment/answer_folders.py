"""Where answer sheets live: in real folders under ``answers/``, never through a link.

One rule for reading (``validate`` and every command that loads a project) and for writing
(``import``): a link under ``answers/``, or ``answers/`` itself as a link, is not followed,
so no command reads or writes outside the project through one.
"""

from __future__ import annotations

from pathlib import Path

ANSWERS = "answers"
LINKED_FOLDER = "is a link to a folder; answer folders must be real folders (not followed)"


def linked_folder(root: Path, folder: Path) -> Path | None:
    """The first folder from ``root/answers`` down to ``folder`` that is a link, if any.

    ``folder`` is ``root/answers`` or a folder under it; folders that do not exist yet
    are no links.
    """
    current = root / ANSWERS
    for part in (None, *folder.relative_to(current).parts):
        if part is not None:
            current = current / part
        if current.is_symlink():
            return current
    return None
