"""Write a PrairieLearn question (questions/<qid>/info.json, question.html), its grader (serverFilesCourse/) and the
Dockerfile of its image, laid out as a PrairieLearn course repository's root so that it can be copied in."""

from __future__ import annotations

import json
import shutil
import stat
import uuid
from pathlib import Path

from ..contract import EXERCISE_MODULES
from ..gradescope.build import course_files, data_files
from ..submitting.manifest import MANIFEST_NAME
from .scripts import COURSE_FOLDER, DATA_BUNDLED, DATA_DOWNLOAD, DOCKERFILE, ENTRYPOINT, ENTRYPOINT_NAME, QUESTION_HTML

TIMEOUT = 600  # PrairieLearn's maximum (docs/externalGrading.md); the whole suite trains twice, on the CPU
UUID_NAMESPACE = uuid.UUID("6f1b5a52-4d0e-4c55-9d47-2a8f3f0c2b11")  # a question keeps its uuid across rebuilds


def info_json(title: str, qid: str, image: str) -> dict:
    """info.json: an externally graded question (docs/externalGrading.md, the info.json schema)."""
    return {"uuid": str(uuid.uuid5(UUID_NAMESPACE, qid)), "title": title, "topic": "Softmax regression",
            "tags": ["autograded"], "type": "v3", "singleVariant": True, "gradingMethod": "External",
            "externalGradingOptions": {"enabled": True, "image": image,
                                       "entrypoint": f"/grade/serverFilesCourse/{COURSE_FOLDER}/{ENTRYPOINT_NAME}",
                                       "serverFilesCourse": [f"{COURSE_FOLDER}/"], "timeout": TIMEOUT}}


def build_question(root: Path, out: Path, qid: str, title: str, image: str, data_root: Path | None = None) -> list[str]:
    """Write the question below `out`; return the paths written (relative to `out`)."""
    out = Path(out)
    question, grader = out / "questions" / qid, out / "serverFilesCourse" / COURSE_FOLDER
    shutil.rmtree(grader, ignore_errors=True)  # a stale grader file must not survive a rebuild
    question.mkdir(parents=True, exist_ok=True)
    (question / "info.json").write_text(json.dumps(info_json(title, qid, image), indent=2) + "\n")
    names = ", ".join(f"{m}.py" for m in EXERCISE_MODULES) + f", {MANIFEST_NAME}"
    modules = ", ".join(f"{m}.py" for m in EXERCISE_MODULES)
    (question / "question.html").write_text(QUESTION_HTML.format(names=names, modules=modules))
    written = [f"questions/{qid}/info.json", f"questions/{qid}/question.html"]
    for name, path in course_files(Path(root)).items():
        target = grader / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(f"serverFilesCourse/{COURSE_FOLDER}/{name}")
    entrypoint = grader / ENTRYPOINT_NAME
    entrypoint.write_text(ENTRYPOINT)
    entrypoint.chmod(entrypoint.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    written.append(f"serverFilesCourse/{COURSE_FOLDER}/{ENTRYPOINT_NAME}")
    if data_root is not None:
        for name, path in data_files(data_root).items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out / name)
            written.append(name)
    data = DATA_BUNDLED if data_root is not None else DATA_DOWNLOAD
    (out / "Dockerfile").write_text(DOCKERFILE.format(image=image, folder=COURSE_FOLDER, data=data))
    return [*written, "Dockerfile"]
