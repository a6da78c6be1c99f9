"""Categories for articles their source left unfiled, and languages kept apart.

The source's section decides first (``prepare``); only what is still without a
category reaches the model. A guess under the threshold files nothing: the
article is marked for review instead of landing in a wrong section. Articles in
another language are never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from diemtin.classify import CategoryModel, Prediction, article_text, decide, language_of
from diemtin.pipeline.prepare import Prepared

# what the language check reads: enough words to be sure, cheap on long articles
_SAMPLE = 2000

ModelSource = Callable[[], CategoryModel | None]


def no_model() -> CategoryModel | None:
    """Before any training: every unfiled article waits for review."""
    return None


def settle(batch: Sequence[Prepared], model: ModelSource, *, threshold: float) -> list[Prepared]:
    """The batch with languages set and, where the source gave none, a category or review."""
    return file_unfiled([with_language(p) for p in batch], model, threshold=threshold)


def file_unfiled(
    batch: Sequence[Prepared], model: ModelSource, *, threshold: float
) -> list[Prepared]:
    """``settle`` for a batch whose languages are set already: one model call for the lot."""
    out = list(batch)
    unfiled = [i for i, p in enumerate(out) if p.category is None and p.article.language == "vi"]
    if not unfiled:
        return out
    current = model()
    if current is None:  # before any training, the text is not even looked at
        predictions: list[Prediction | None] = [None] * len(unfiled)
    else:
        predictions = list(current.predict([_text_of(out[i]) for i in unfiled]))
    for i, prediction in zip(unfiled, predictions, strict=True):
        decision = decide(prediction, threshold)
        out[i] = replace(
            out[i],
            category=decision.slug,
            category_source="review" if decision.needs_review else "model",
            category_confidence=decision.confidence if prediction is not None else None,
        )
    return out


def with_language(prepared: Prepared) -> Prepared:
    """The article's language, told from its text (pure: worker processes run it)."""
    article = prepared.article
    found = language_of(_text_of(prepared)[:_SAMPLE])
    # "und" (too little text to tell) stays Vietnamese: this is a Vietnamese site
    language = "vi" if found == "und" else found
    if language == article.language:
        return prepared
    return replace(prepared, article=replace(article, language=language))


def _text_of(prepared: Prepared) -> str:
    a = prepared.article
    return article_text(a.title, a.sapo, a.body_text)
