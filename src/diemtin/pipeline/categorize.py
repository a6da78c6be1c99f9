"""Categories for articles their source left unfiled, and languages kept apart.

The source's section decides first (``prepare``); only what is still without a
category reaches the model. A guess under the threshold files nothing: the
article is marked for review instead of landing in a wrong section. Articles in
another language are never guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from diemtin.classify import CategoryModel, article_text, decide, language_of
from diemtin.pipeline.prepare import Prepared

# what the language check reads: enough words to be sure, cheap on long articles
_SAMPLE = 2000

ModelSource = Callable[[], CategoryModel | None]


def no_model() -> CategoryModel | None:
    """Before any training: every unfiled article waits for review."""
    return None


def settle(batch: Sequence[Prepared], model: ModelSource, *, threshold: float) -> list[Prepared]:
    """The batch with languages set and, where the source gave none, a category or review."""
    texts = [_text_of(p) for p in batch]
    out = [_with_language(p, t) for p, t in zip(batch, texts, strict=True)]
    unfiled = [i for i, p in enumerate(out) if p.category is None and p.article.language == "vi"]
    if not unfiled:
        return out
    current = model()
    wanted = [texts[i] for i in unfiled]
    predictions = current.predict(wanted) if current is not None else [None] * len(wanted)
    for i, prediction in zip(unfiled, predictions, strict=True):
        decision = decide(prediction, threshold)
        out[i] = replace(
            out[i],
            category=decision.slug,
            category_source="review" if decision.needs_review else "model",
            category_confidence=decision.confidence if prediction is not None else None,
        )
    return out


def _with_language(prepared: Prepared, text: str) -> Prepared:
    article = prepared.article
    found = language_of(text[:_SAMPLE])
    # "und" (too little text to tell) stays Vietnamese: this is a Vietnamese site
    language = "vi" if found == "und" else found
    if language == article.language:
        return prepared
    return replace(prepared, article=replace(article, language=language))


def _text_of(prepared: Prepared) -> str:
    a = prepared.article
    return article_text(a.title, a.sapo, a.body_text)
