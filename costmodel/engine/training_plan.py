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

from dataclasses import dataclass
from pathlib import Path

from costmodel.engine.notes import Note, NoteCode
from costmodel.engine.training import estimate_from_file, training_figures
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
    strategy: Strategy, catalog: Catalog, base_dir: Path | None = None
) -> PlannedStrategy:
    """``strategy`` priced from its training file when it names one.

    The file's examples and billed tokens per example (rounded up, so the
    plan never bills less than the file) replace the written figures; a note
    says so, and another when the written figures differed from the file's.
    """
    plan = strategy.training
    if plan is None or plan.file is None:
        return PlannedStrategy(strategy)
    path = Path(plan.file)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        raise ScenarioError(
            f"strategy {strategy.name!r}: training file not found: {path} "
            "(a relative path is read from the scenario file's folder)"
        )
    encoding = tokenizer_for(catalog.resolve(strategy.model).model_id).encoding
    estimate = estimate_from_file(path, encoding, "auto", None)
    if not estimate.examples:
        raise ScenarioError(
            f"strategy {strategy.name!r}: training file {plan.file} has no usable example"
        )
    figures = training_figures(estimate)
    notes = [
        Note(
            NoteCode.TRAINING_FROM_FILE,
            {
                "file": path.name,
                "examples": figures.examples,
                "tokens_per_example": figures.tokens_per_example,
            },
        )
    ]
    written = plan.model_fields_set & {"examples", "tokens_per_example"}
    if any(getattr(plan, f) != getattr(figures, f) for f in written):
        notes.append(
            Note(
                NoteCode.TRAINING_FILE_REPLACES,
                {"examples": plan.examples, "tokens_per_example": plan.tokens_per_example},
            )
        )
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
