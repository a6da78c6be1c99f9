"""Categories for articles their source did not file: a model trained on the store's own.

``train_from_store`` learns from articles whose category a feed, a section, an
import or an operator decided (never from the model's own guesses);
``CategoryModel.predict`` gives a category and a confidence, ``decide`` takes it
or sends the article to review, and ``language_of`` keeps articles in other
languages apart before any of that.
"""

from diemtin.classify.decide import DEFAULT_THRESHOLD, Decision, decide
from diemtin.classify.errors import ClassifyError, ModelFileError, TrainingError
from diemtin.classify.evaluate import Metrics
from diemtin.classify.language import language_of
from diemtin.classify.latest import LatestModel
from diemtin.classify.model import CategoryModel, Prediction
from diemtin.classify.train import (
    TRUSTED_SOURCES,
    TrainReport,
    article_text,
    default_model_dir,
    train_from_store,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "TRUSTED_SOURCES",
    "CategoryModel",
    "ClassifyError",
    "Decision",
    "LatestModel",
    "Metrics",
    "ModelFileError",
    "Prediction",
    "TrainReport",
    "TrainingError",
    "article_text",
    "decide",
    "default_model_dir",
    "language_of",
    "train_from_store",
]
