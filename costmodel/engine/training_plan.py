"""The training plan a fine-tuned strategy is priced with: the scenario's figures or its file's.

A scenario may name a chat JSONL training file (``training.file``). The file
is then checked and counted with the model's tokenizer, and its figures
replace ``examples`` and ``tokens_per_example`` exactly as an upload in the
dashboard fills them in (:func:`costmodel.engine.training.training_figures`),
so the command line and the dashboard price the same job to the cent. The
path resolves against the scenario file's folder; a file that cannot be read
is an error, never a silent fall-back to the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from costmodel.engine.notes import Note, NoteCode
from costmodel.engine.training import TrainingEstimate, estimate_from_file, training_figures
from costmodel.errors import ScenarioError
from costmodel.prices.catalog import Catalog
from costmodel.scenario import Strategy
from costmodel.tokens.tokenizers import tokenizer_for


@dataclass(frozen=True)
class PlannedStrategy:
    """A strategy with its training file's figures written in, and what that changed."""

    strategy: Strategy
    notes: tuple[Note, ...] = ()


def with_training_file(
    strategy: Strategy,
    catalog: Catalog,
    base_dir: Path | None = None,
    checked: Mapping[str, TrainingEstimate] | None = None,
) -> PlannedStrategy:
    """``strategy`` priced from its training file when it names one.

    The file's examples and billed tokens per example (rounded up, so the
    plan never bills less than the file) replace any written figures, and a
    note names the file and the figures it gave.

    With ``checked`` (files already checked, by name: the dashboard's
    uploads) nothing is read from disk: a named file that is not among them
    leaves the written plan in force, as the dashboard tells its user.
    """
    plan = strategy.training
    if plan is None or plan.file is None:
        return PlannedStrategy(strategy)
    if checked is not None:
        if plan.file not in checked:
            unread = plan.model_copy(update={"file": None})
            return PlannedStrategy(strategy.model_copy(update={"training": unread}))
        return _planned(strategy, checked[plan.file], plan.file)
    path = Path(plan.file)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        raise ScenarioError(
            f"strategy {strategy.name!r}: training file not found: {path} "
            "(a relative path is read from the scenario file's folder)"
        )
    encoding = tokenizer_for(catalog.resolve(strategy.model).model_id).encoding
    return _planned(strategy, estimate_from_file(path, encoding, "auto", None), path.name)


def _planned(strategy: Strategy, estimate: TrainingEstimate, name: str) -> PlannedStrategy:
    """The plan with the checked file's figures written in, and the notes saying so."""
    plan = strategy.planned_training()
    if not estimate.examples:
        raise ScenarioError(
            f"strategy {strategy.name!r}: training file {plan.file} has no usable example"
        )
    figures = training_figures(estimate)
    notes = [
        Note(
            NoteCode.TRAINING_FROM_FILE,
            {
                "file": name,
                "examples": figures.examples,
                "tokens_per_example": figures.tokens_per_example,
            },
        )
    ]
    if estimate.format_errors:
        notes.append(
            Note(
                NoteCode.TRAINING_FILE_ERRORS,
                {"examples": sum(i.count for i in estimate.format_errors)},
            )
        )
    planned = plan.model_copy(
        update={"examples": figures.examples, "tokens_per_example": figures.tokens_per_example}
    )
    return PlannedStrategy(strategy.model_copy(update={"training": planned}), tuple(notes))
